"""Existing rows are rewritten in the canonical spelling; one mailbox stored twice becomes one
subscriber that keeps every decision the reader made."""

from datetime import timedelta

import pytest
from django.utils import timezone

from newsroom.tests.migrations import migrate, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("newsletter", "0003_delivery_write_cost")]
AFTER = [("newsletter", "0004_canonical_addresses")]


def test_duplicate_spellings_are_merged_without_losing_a_readers_state():
    apps = migrate(BEFORE)
    List = apps.get_model("newsletter", "List")
    Subscriber = apps.get_model("newsletter", "Subscriber")
    Subscription = apps.get_model("newsletter", "Subscription")
    Edition = apps.get_model("newsletter", "Edition")
    Delivery = apps.get_model("newsletter", "Delivery")
    Suppression = apps.get_model("newsletter", "Suppression")
    now = timezone.now()
    digest = List.objects.create(name="Migration digest", slug="m-digest")
    breaking = List.objects.create(name="Migration breaking", slug="m-breaking")
    weekly = List.objects.create(name="Migration weekly", slug="m-weekly")

    first = Subscriber.objects.create(
        email="ada@example.org", consent_at=now - timedelta(days=30),
        confirmed_at=now - timedelta(days=30), consent_source="signup-box",
    )  # fmt: skip
    second = Subscriber.objects.create(
        email='"ada"@example.org', consent_at=now - timedelta(days=3)
    )
    # The digest: confirmed a month ago, unsubscribed (under the other spelling) yesterday.
    Subscription.objects.create(
        subscriber=first, list=digest, status="confirmed", confirmed_at=now - timedelta(days=30)
    )
    Subscription.objects.create(
        subscriber=second, list=digest, status="unsubscribed",
        unsubscribed_at=now - timedelta(days=1), unsubscribe_source="link",
    )  # fmt: skip
    # Breaking news: only under the second spelling, confirmed.
    Subscription.objects.create(
        subscriber=second, list=breaking, status="confirmed", confirmed_at=now - timedelta(days=2)
    )
    # Weekly: confirmed under the first, a newer unconfirmed sign-up under the second.
    Subscription.objects.create(
        subscriber=first, list=weekly, status="confirmed", confirmed_at=now - timedelta(days=9)
    )
    Subscription.objects.create(subscriber=second, list=weekly, status="unconfirmed")
    edition = Edition.objects.create(list=digest, subject="Monday")
    Delivery.objects.create(edition=edition, subscriber=first, status="pending")
    Delivery.objects.create(edition=edition, subscriber=second, status="sent", sent_at=now)
    other = Subscriber.objects.create(email="Ada+News@Example.ORG", consent_at=now)
    stale = Subscriber.objects.create(email="old@example.invalid", consent_at=now)

    Suppression.objects.create(email="bob@example.org", reason="manual", detail="phone")
    Suppression.objects.create(email="BOB@example.org", reason="complaint", detail="ESP")

    apps = migrate(AFTER)
    Subscriber = apps.get_model("newsletter", "Subscriber")
    Subscription = apps.get_model("newsletter", "Subscription")
    Delivery = apps.get_model("newsletter", "Delivery")
    Suppression = apps.get_model("newsletter", "Suppression")

    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "ada+news@example.org",  # a different mailbox: kept apart, spelling made canonical
        "ada@example.org",
        "old@example.invalid",  # no longer valid: left as it was
    ]
    ada = Subscriber.objects.get(email="ada@example.org")
    assert ada.pk == first.pk and ada.confirmed_at is not None
    assert ada.consent_source == "signup-box"
    states = dict(Subscription.objects.filter(subscriber=ada).values_list("list__slug", "status"))
    assert states == {
        "m-digest": "unsubscribed",  # the latest decision wins
        "m-breaking": "confirmed",
        "m-weekly": "confirmed",  # a waiting sign-up never undoes a confirmation
    }
    (delivery,) = Delivery.objects.filter(edition_id=edition.pk)
    assert (delivery.subscriber_id, delivery.status) == (ada.pk, "sent")
    assert Subscriber.objects.filter(pk=other.pk, email="ada+news@example.org").exists()
    assert Subscriber.objects.filter(pk=stale.pk).exists()
    (bob,) = Suppression.objects.all()
    assert (bob.email, bob.reason) == ("bob@example.org", "complaint")
    assert "phone" in bob.detail and "ESP" in bob.detail

    migrate_to_latest()
