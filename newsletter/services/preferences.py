"""What a reader receives, changed by the reader: unsubscribe links (one-click and by mail)
and the preference page."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..models import List, Subscriber, Subscription
from ..tokens import InvalidToken, unsubscribe_token_read
from .errors import InvalidChoice

logger = logging.getLogger(__name__)

Status = Subscription.Status


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
