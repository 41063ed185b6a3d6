"""Sign-up with double opt-in, the confirmation email and link, and confirmed additions for
addresses whose consent was recorded elsewhere."""

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
from core.links import absolute_url
from outbox.services import event_record

from .. import mail
from ..models import List, Subscriber, Subscription, Suppression
from ..tokens import InvalidToken, confirm_token_make, confirm_token_read
from .errors import InvalidChoice

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
