"""The editors' actions on webhooks, from the admin."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.text import clean_model_text

from .. import network
from ..models import WebhookDelivery, WebhookEndpoint, new_secret
from .delivering import same_article
from .events import retry_window, wake_after_commit

Status = WebhookDelivery.Status


def _require(user, perm: str, message: str) -> None:
    if not (user and user.is_active and user.has_perm(perm)):
        raise PermissionDenied(message)


@dataclass(frozen=True)
class Redelivery:
    queued: int
    superseded: int


@transaction.atomic
def deliveries_redeliver(*, user, delivery_ids: list[int]) -> Redelivery:
    """Send deliveries again (failed ones, or delivered ones a receiver lost), with a fresh
    retry window, built from the article as it is now.

    A delivery whose article has a later event already sent to the same endpoint is not sent
    again (superseded): the receiver would go back in time, e.g. see "published" after
    "unpublished".
    """
    _require(user, "webhooks.change_webhookdelivery", "Only editors can redeliver webhooks.")
    now = timezone.now()
    deliveries = list(
        WebhookDelivery.objects.select_for_update().filter(pk__in=delivery_ids).order_by("pk")
    )
    queued, superseded = [], []
    for delivery in deliveries:
        later_sent = delivery.article_id is not None and (
            same_article(delivery).filter(event_id__gt=delivery.event_id, attempts__gt=0).exists()
        )
        (superseded if later_sent else queued).append(delivery.pk)
    WebhookDelivery.objects.filter(pk__in=queued).update(
        status=Status.PENDING, next_attempt_at=now, give_up_at=now + retry_window()
    )
    WebhookDelivery.objects.filter(pk__in=superseded).update(
        status=Status.SUPERSEDED,
        last_error="Not sent again: a later event for this article was already sent.",
    )
    wake_after_commit(queued)
    return Redelivery(queued=len(queued), superseded=len(superseded))


@transaction.atomic
def endpoint_save(*, user, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Create or change an endpoint; its URL must be a destination webhooks may go to (checked
    again on every delivery, since a name's addresses change)."""
    action = "change" if endpoint.pk else "add"
    _require(user, f"webhooks.{action}_webhookendpoint", "Only editors can change webhooks.")
    network.check_destination(endpoint.url)
    clean_model_text(endpoint)
    if endpoint.pk is None and endpoint.created_by_id is None:
        endpoint.created_by = user
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_enable(*, user, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Turn an endpoint on again; its waiting deliveries resume with a fresh retry window."""
    _require(user, "webhooks.change_webhookendpoint", "Only editors can change webhooks.")
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    locked.is_active = True
    locked.consecutive_failures = 0
    locked.failing_since = None
    locked.disabled_at = None
    locked.disabled_reason = ""
    locked.save()
    now = timezone.now()
    ids = list(locked.deliveries.filter(status=Status.PENDING).values_list("pk", flat=True))
    WebhookDelivery.objects.filter(pk__in=ids).update(
        next_attempt_at=now, give_up_at=now + retry_window()
    )
    wake_after_commit(ids)
    return locked


@transaction.atomic
def endpoint_rotate_secret(*, user, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret; from now on every request is signed with it."""
    _require(user, "webhooks.change_webhookendpoint", "Only editors can change webhooks.")
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint
