"""Addresses are stored in their canonical spelling (core.emails.canonical_email). Rows that were
one mailbox typed two ways are merged without losing what the reader did: every list keeps its
most recent decision (an unsubscribe after a confirmation stays an unsubscribe), the earliest
confirmation is kept, sent messages stay in the ledger, and a suppression keeps its strongest
reason. Addresses that no longer validate are left as they are."""

from django.db import migrations

# Stronger reasons win when two suppressions are merged.
REASON_STRENGTH = {"complaint": 3, "hard_bounce": 2, "manual": 1}


def _groups(rows):
    from core.emails import InvalidEmail, canonical_email

    groups: dict[str, list] = {}
    for row in rows.iterator(chunk_size=2000):
        try:
            key = canonical_email(row.email)
        except InvalidEmail:
            continue  # an address that no longer validates stays as it is
        groups.setdefault(key, []).append(row)
    return groups


def _decided_at(subscription):
    """When the reader last decided about this list."""
    if subscription.status == "unsubscribed":
        return subscription.unsubscribed_at or subscription.created_at
    if subscription.status == "confirmed":
        return subscription.confirmed_at or subscription.created_at
    return subscription.created_at


def _merge_subscriptions(Subscription, survivor, others):
    ids = [survivor.pk, *(o.pk for o in others)]
    by_list: dict[int, list] = {}
    for subscription in Subscription.objects.filter(subscriber_id__in=ids):
        by_list.setdefault(subscription.list_id, []).append(subscription)
    for subscriptions in by_list.values():
        decisive = [s for s in subscriptions if s.status != "unconfirmed"] or subscriptions
        keep = max(decisive, key=lambda s: (_decided_at(s), s.status == "confirmed"))
        Subscription.objects.filter(
            pk__in=[s.pk for s in subscriptions if s.pk != keep.pk]
        ).delete()
        if keep.subscriber_id != survivor.pk:
            keep.subscriber_id = survivor.pk
            keep.save(update_fields=["subscriber"])


def _merge_deliveries(Delivery, survivor, others):
    kept = {d.edition_id: d for d in Delivery.objects.filter(subscriber_id=survivor.pk)}
    for delivery in Delivery.objects.filter(subscriber_id__in=[o.pk for o in others]):
        mine = kept.get(delivery.edition_id)
        if mine is not None and not (delivery.status == "sent" and mine.status != "sent"):
            delivery.delete()
            continue
        if mine is not None:
            mine.delete()  # the other row records the message actually sent
        delivery.subscriber_id = survivor.pk
        delivery.save(update_fields=["subscriber"])
        kept[delivery.edition_id] = delivery


def subscribers_merge(apps, schema_editor):
    Subscriber = apps.get_model("newsletter", "Subscriber")
    Subscription = apps.get_model("newsletter", "Subscription")
    Delivery = apps.get_model("newsletter", "Delivery")
    for email, rows in _groups(Subscriber.objects.order_by("pk")).items():
        # The one that confirmed first (else the oldest) stays; its consent evidence with it.
        rows.sort(key=lambda s: (s.confirmed_at is None, s.confirmed_at or s.consent_at, s.pk))
        survivor, others = rows[0], rows[1:]
        if others:
            _merge_subscriptions(Subscription, survivor, others)
            _merge_deliveries(Delivery, survivor, others)
            # Confirmation links mailed to the merged rows stop working; their lists stay
            # waiting on the survivor, and a new sign-up sends a new link.
            Subscriber.objects.filter(pk__in=[o.pk for o in others]).delete()
        if survivor.email != email:
            Subscriber.objects.filter(pk=survivor.pk).update(email=email)


def suppressions_merge(apps, schema_editor):
    Suppression = apps.get_model("newsletter", "Suppression")
    for email, rows in _groups(Suppression.objects.order_by("created_at", "pk")).items():
        keep = max(rows, key=lambda s: (REASON_STRENGTH.get(s.reason, 0), -s.pk))
        others = [s for s in rows if s.pk != keep.pk]
        if not others and keep.email == email:
            continue
        if others:
            keep.created_at = min(s.created_at for s in rows)
            notes = [keep.detail, *(f"{s.email}: {s.detail}" for s in others if s.detail)]
            keep.detail = "\n".join(n for n in notes if n)[:2000]
            Suppression.objects.filter(pk__in=[s.pk for s in others]).delete()
        keep.email = email
        keep.save()


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0003_delivery_write_cost")]

    operations = [
        migrations.RunPython(subscribers_merge, migrations.RunPython.noop),
        migrations.RunPython(suppressions_merge, migrations.RunPython.noop),
    ]
