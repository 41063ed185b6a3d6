"""Readers and their consent: sign-up with double opt-in, confirmation, unsubscribe,
preferences, and the suppression list fed by bounces and complaints."""

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from core import ratelimit
from core.clients import client_network
from core.emails import canonical_email
from core.errors import NotAllowed
from core.links import absolute_url
from outbox.services import event_record

from .. import mail
from ..models import List, Subscriber, Subscription, Suppression
from ..tokens import InvalidToken, confirm_token_make, confirm_token_read, unsubscribe_token_read
from .errors import InvalidChoice, InvalidEmail

logger = logging.getLogger(__name__)

CONFIRMATION_TOPIC = "newsletter.confirmation_requested"
Status = Subscription.Status


def _check_ip_rate(ip: str | None) -> None:
    """Sign-ups per network (an IPv4 address, an IPv6 /64): 429 with Retry-After past it."""
    ratelimit.enforce(
        "newsletter-signup-ip",
        client_network(ip),
        [(settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR, 3600)],
        message="Too many sign-ups from your network. Please try again in {wait}.",
    )


def _address_may_get_confirmation(email: str) -> bool:
    limit = settings.NEWSLETTER_CONFIRMATIONS_PER_ADDRESS_PER_DAY
    return ratelimit.hit("newsletter-confirm-address", email, [(limit, 86400)]).allowed


def subscriber_signup(
    *, email: str, lists: Iterable[List], source: str, ip: str | None = None
) -> None:
    """Start double opt-in for ``lists``: unconfirmed subscriptions and one confirmation email.

    Returns nothing on purpose: whatever the address's state (new, waiting, confirmed,
    unsubscribed, suppressed) the caller tells the reader the same thing, so the form reveals
    nothing about who subscribes. Each address gets at most a few confirmation emails a day,
    each network a few sign-ups an hour, so the form cannot be used to flood a mailbox.
    """
    _check_ip_rate(ip)
    email = canonical_email(email)
    lists = list(lists)
    if not lists:
        raise InvalidChoice("Choose at least one newsletter.")
    if any(not lst.is_public for lst in lists):
        raise InvalidChoice("That newsletter is not open for sign-up.")
    now = timezone.now()
    with transaction.atomic():
        if Suppression.objects.filter(email=email).exists():
            logger.info("Newsletter sign-up for a suppressed address ignored")
            return
        subscriber, _ = Subscriber.objects.get_or_create(
            email=email, defaults={"consent_source": source, "consent_ip": ip, "consent_at": now}
        )
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        waiting = False
        for lst in lists:
            subscription, _ = Subscription.objects.get_or_create(subscriber=subscriber, list=lst)
            if subscription.status == Status.CONFIRMED:
                continue
            if subscription.status == Status.UNSUBSCRIBED:
                subscription.status = Status.UNCONFIRMED
                subscription.save(update_fields=["status"])
            waiting = True
        if not waiting:
            return
        if not _address_may_get_confirmation(email):
            logger.info("Newsletter confirmation not sent: daily limit for the address reached")
            return
        if not subscriber.confirmation_nonce:
            subscriber.confirmation_nonce = secrets.token_urlsafe(16)
        subscriber.consent_source = source
        subscriber.consent_ip = ip
        subscriber.consent_at = now
        subscriber.confirmation_requested_at = now
        subscriber.save(
            update_fields=[
                "confirmation_nonce",
                "consent_source",
                "consent_ip",
                "consent_at",
                "confirmation_requested_at",
            ]
        )
        event_record(topic=CONFIRMATION_TOPIC, payload={"subscriber_id": subscriber.pk})


def confirmation_send(*, subscriber_id: int) -> bool:
    """Send the confirmation email a sign-up asked for; at most once per request.

    Runs as an outbox handler inside the event's transaction: the "sent" mark commits with the
    event, so only a crash between the SMTP hand-over and the commit can send a second copy.
    """
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is None or not subscriber.confirmation_nonce:
        return False
    requested = subscriber.confirmation_requested_at
    if (
        subscriber.confirmation_sent_at
        and requested
        and subscriber.confirmation_sent_at >= requested
    ):
        return False
    if Suppression.objects.filter(email=subscriber.email).exists():
        return False
    lists = [
        s.list
        for s in subscriber.subscriptions.filter(status=Status.UNCONFIRMED).select_related("list")
    ]
    if not lists:
        return False
    token = confirm_token_make(subscriber_id=subscriber.pk, nonce=subscriber.confirmation_nonce)
    confirm_url = absolute_url(reverse("newsletter:confirm", kwargs={"token": token}))
    mail.confirmation_email_send(subscriber=subscriber, lists=lists, confirm_url=confirm_url)
    subscriber.confirmation_sent_at = timezone.now()
    subscriber.save(update_fields=["confirmation_sent_at"])
    return True


@dataclass
class PendingConfirmation:
    subscriber: Subscriber
    lists: list[List]


def _subscriber_for_confirm_token(token: str, *, lock: bool) -> Subscriber:
    data = confirm_token_read(token)
    qs = Subscriber.objects.filter(pk=data.subscriber_id)
    subscriber = (qs.select_for_update() if lock else qs).first()
    if (
        subscriber is None
        or not subscriber.confirmation_nonce
        or not constant_time_compare(subscriber.confirmation_nonce, data.nonce)
    ):
        raise InvalidToken("This confirmation link has already been used or is no longer valid.")
    return subscriber


def confirmation_check(*, token: str) -> PendingConfirmation:
    """What a confirmation link would confirm, without using it (the GET page)."""
    subscriber = _subscriber_for_confirm_token(token, lock=False)
    lists = [
        s.list
        for s in subscriber.subscriptions.filter(status=Status.UNCONFIRMED).select_related("list")
    ]
    return PendingConfirmation(subscriber=subscriber, lists=lists)


@transaction.atomic
def subscription_confirm(*, token: str, ip: str | None = None) -> PendingConfirmation:
    """Confirm every subscription waiting for this reader; the link then stops working."""
    subscriber = _subscriber_for_confirm_token(token, lock=True)
    now = timezone.now()
    waiting = subscriber.subscriptions.filter(status=Status.UNCONFIRMED).select_related("list")
    lists = [s.list for s in waiting]
    waiting.update(status=Status.CONFIRMED, confirmed_at=now)
    subscriber.confirmation_nonce = ""
    subscriber.confirmed_at = now
    subscriber.confirmed_ip = ip
    subscriber.save(update_fields=["confirmation_nonce", "confirmed_at", "confirmed_ip"])
    logger.info("Newsletter subscription confirmed", extra={"subscriber_id": subscriber.pk})
    return PendingConfirmation(subscriber=subscriber, lists=lists)


def unsubscribe_check(*, token: str) -> list[List]:
    """The lists an unsubscribe link is for (the GET page shows them and changes nothing)."""
    data = unsubscribe_token_read(token)
    return list(List.objects.filter(pk__in=data.list_ids))


@transaction.atomic
def subscription_unsubscribe(*, token: str, source: str) -> list[List]:
    """Unsubscribe the reader of a signed link from its lists; idempotent, needs no login.

    Takes effect for messages not yet handed to the mail server: the sender re-checks each
    reader's subscription just before sending.
    """
    data = unsubscribe_token_read(token)
    lists = list(List.objects.filter(pk__in=data.list_ids))
    changed = Subscription.objects.filter(
        subscriber_id=data.subscriber_id,
        list_id__in=data.list_ids,
        status__in=[Status.CONFIRMED, Status.UNCONFIRMED],
    ).update(status=Status.UNSUBSCRIBED, unsubscribed_at=timezone.now(), unsubscribe_source=source)
    if changed:
        logger.info(
            "Newsletter unsubscribe",
            extra={"subscriber_id": data.subscriber_id, "lists": data.list_ids, "source": source},
        )
    return lists


def unsubscribe_by_mail(*, subject: str) -> bool:
    """The mailto: half of List-Unsubscribe: a message whose subject carries the token."""
    for word in (subject or "").split():
        try:
            subscription_unsubscribe(token=word, source="mailto")
        except InvalidToken:
            continue
        return True
    return False


@dataclass
class PreferenceChoice:
    list: List
    subscribed: bool


def preferences_get(*, subscriber: Subscriber) -> list[PreferenceChoice]:
    """Public lists, plus any other list the reader is on, with what they receive today."""
    current = {
        s.list_id: s.status for s in subscriber.subscriptions.all().only("list_id", "status")
    }
    lists = List.objects.filter(is_public=True) | List.objects.filter(pk__in=list(current))
    return [
        PreferenceChoice(
            list=lst, subscribed=current.get(lst.pk) in (Status.CONFIRMED, Status.UNCONFIRMED)
        )
        for lst in lists.distinct().order_by("position", "name")
    ]


@transaction.atomic
def subscriber_preferences_update(
    *, subscriber: Subscriber, list_ids: Iterable[int], ip: str | None = None
) -> None:
    """Set the reader's lists from the preference page.

    The page is reached through a link mailed to the address, which proves the reader controls
    it, so a list chosen there is confirmed at once.
    """
    offered = {choice.list.pk: choice for choice in preferences_get(subscriber=subscriber)}
    wanted = set(list_ids)
    if wanted - set(offered):
        raise InvalidChoice("That newsletter is not available.")
    now = timezone.now()
    for list_id, choice in offered.items():
        subscription = Subscription.objects.filter(subscriber=subscriber, list_id=list_id).first()
        if list_id in wanted:
            if subscription is None:
                Subscription.objects.create(
                    subscriber=subscriber,
                    list=choice.list,
                    status=Status.CONFIRMED,
                    confirmed_at=now,
                )
            elif subscription.status != Status.CONFIRMED:
                subscription.status = Status.CONFIRMED
                subscription.confirmed_at = now
                subscription.save(update_fields=["status", "confirmed_at"])
        elif subscription is not None and subscription.status != Status.UNSUBSCRIBED:
            subscription.status = Status.UNSUBSCRIBED
            subscription.unsubscribed_at = now
            subscription.unsubscribe_source = "preferences"
            subscription.save(update_fields=["status", "unsubscribed_at", "unsubscribe_source"])
    if wanted and not subscriber.confirmed_at:
        subscriber.confirmed_at = now
        subscriber.confirmed_ip = ip
        subscriber.save(update_fields=["confirmed_at", "confirmed_ip"])


def subscriber_add_confirmed(*, email: str, lists: Iterable[List], source: str) -> int:
    """Subscribe an address to ``lists`` as confirmed, with no confirmation email; returns how
    many subscriptions were created or confirmed (0 when it was all there already).

    Only for addresses whose consent was recorded elsewhere (the demo newsroom, an import by
    the operator), never for a public form: that is ``subscriber_signup``. It never overrides a
    reader's own choice: a suppressed address is skipped, an unsubscribed list stays so.
    """
    email = canonical_email(email)
    lists = list(lists)
    if not lists:
        raise InvalidChoice("Choose at least one newsletter.")
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        if Suppression.objects.filter(email=email).exists():
            logger.info("Confirmed subscription for a suppressed address skipped")
            return 0
        subscriber, _ = Subscriber.objects.get_or_create(
            email=email, defaults={"consent_source": source, "consent_at": now}
        )
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        for lst in lists:
            subscription, created = Subscription.objects.get_or_create(
                subscriber=subscriber,
                list=lst,
                defaults={"status": Status.CONFIRMED, "confirmed_at": now},
            )
            if created:
                changed += 1
            elif subscription.status == Status.UNCONFIRMED:
                subscription.status = Status.CONFIRMED
                subscription.confirmed_at = now
                subscription.save(update_fields=["status", "confirmed_at"])
                changed += 1
        if changed and not subscriber.confirmed_at:
            subscriber.confirmed_at = now
            subscriber.save(update_fields=["confirmed_at"])
    if changed:
        logger.info(
            "Confirmed subscriptions added",
            extra={"subscriber_id": subscriber.pk, "source": source, "subscriptions": changed},
        )
    return changed


# ---------------------------------------------------------------------------
# Suppressions
# ---------------------------------------------------------------------------
def suppression_add(
    *, email: str, reason: str, detail: str = "", source: str = ""
) -> tuple[Suppression, bool]:
    """Never mail this address again; returns (suppression, created). Idempotent.

    A complaint also unsubscribes the reader from every list: they said so to their provider.
    """
    if reason not in Suppression.Reason.values:
        raise InvalidChoice(f"Unknown suppression reason {reason!r}.")
    email = canonical_email(email)
    with transaction.atomic():
        suppression, created = Suppression.objects.get_or_create(
            email=email, defaults={"reason": reason, "detail": detail[:2000], "source": source}
        )
        if not created and reason == Suppression.Reason.COMPLAINT != suppression.reason:
            suppression.reason = reason
            suppression.detail = detail[:2000]
            suppression.source = source
            suppression.save(update_fields=["reason", "detail", "source"])
        if reason == Suppression.Reason.COMPLAINT:
            Subscription.objects.filter(
                subscriber__email=email, status__in=[Status.CONFIRMED, Status.UNCONFIRMED]
            ).update(
                status=Status.UNSUBSCRIBED,
                unsubscribed_at=timezone.now(),
                unsubscribe_source="complaint",
            )
    if created:
        logger.info("Address suppressed", extra={"reason": reason, "source": source})
    return suppression, created


def suppression_remove(*, user, email: str) -> bool:
    """Allow an address again (a reader whose mailbox works again asked to be back)."""
    if not (user and user.is_active and user.has_perm("newsletter.delete_suppression")):
        raise NotAllowed("You may not remove suppressions.")
    deleted, _ = Suppression.objects.filter(email=canonical_email(email)).delete()
    if deleted:
        logger.info("Suppression removed", extra={"user_id": user.pk})
    return bool(deleted)


# django-anymail's normalized event types -> what they mean for the list.
_FEEDBACK = {
    "bounced": Suppression.Reason.HARD_BOUNCE,
    "complained": Suppression.Reason.COMPLAINT,
}
_REJECT_REASONS = {
    "bounced": Suppression.Reason.HARD_BOUNCE,
    "invalid": Suppression.Reason.HARD_BOUNCE,
}


def delivery_feedback_record(
    *,
    event_type: str,
    recipient: str | None,
    reject_reason: str | None = None,
    description: str = "",
    esp_name: str = "",
) -> str | None:
    """Act on a provider's tracking event; returns the suppression reason applied, if any.

    Bounces and complaints suppress the address; a provider-side unsubscribe unsubscribes the
    reader from every list. Deferrals, deliveries, opens and clicks change nothing.
    """
    if not recipient:
        return None
    source = f"webhook:{esp_name.lower()}" if esp_name else "webhook"
    reason = _FEEDBACK.get(event_type)
    if event_type == "rejected":
        reason = _REJECT_REASONS.get(reject_reason or "")
    if event_type == "unsubscribed":
        try:
            email = canonical_email(recipient)
        except InvalidEmail:
            return None
        Subscription.objects.filter(
            subscriber__email=email, status__in=[Status.CONFIRMED, Status.UNCONFIRMED]
        ).update(
            status=Status.UNSUBSCRIBED, unsubscribed_at=timezone.now(), unsubscribe_source=source
        )
        return None
    if reason is None:
        return None
    try:
        suppression_add(email=recipient, reason=reason, detail=description, source=source)
    except InvalidEmail:
        logger.warning("Provider feedback for an invalid address ignored", extra={"esp": esp_name})
        return None
    return reason
