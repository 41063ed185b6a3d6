"""Webhook writes: turning outbox events into deliveries, delivering them, and the editors'
actions (redeliver, enable again, rotate the secret).

Flow: the articles services record "article.*" events in the outbox inside their transaction;
the outbox worker runs ``deliveries_create_for_event`` (registered in WebhooksConfig.ready), which
creates one delivery per subscribed endpoint in the event's transaction (unique per endpoint and
event, so a re-run creates nothing twice) and wakes a worker after commit. ``delivery_attempt``
sends one signed request; a failure is retried with exponential backoff until the delivery's
retry window (24 h by default) closes, and every attempt is recorded.
"""

import json
import logging
import time
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.backoff import Backoff

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, new_secret
from .network import DestinationRefused, check_destination
from .signing import SIGNATURE_HEADER, sign

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status
MAX_RESPONSE_CHARS = 1000
USER_AGENT = "Newsroom-Webhooks/1.0"


# ---------------------------------------------------------------------------
# Events -> deliveries
# ---------------------------------------------------------------------------
def event_body(event) -> dict:
    """The JSON a receiver gets for an outbox event.

    A published article is described as the API lists it. Anything else (unpublished by the
    time the event is handled, or deleted) is named by its id only: nothing unpublished leaves
    the newsroom.
    """
    from api.selectors import with_comment_stats
    from api.serializers.articles import ArticleSummarySerializer
    from articles.selectors import article_list_published

    extra = {k: v for k, v in event.payload.items() if k != "article_id"}
    article_id = event.payload.get("article_id")
    article = (
        with_comment_stats(article_list_published()).filter(pk=article_id).first()
        if article_id is not None
        else None
    )
    if article is not None:
        described = ArticleSummarySerializer(article, context={"staff": False}).data
        data = {"article": {**described, "is_published": True}}
    else:
        data = {"article": {"id": article_id, "is_published": False}}
    return {
        "id": event.pk,
        "type": event.topic,
        "created_at": event.created_at.isoformat(),
        "data": {**data, **extra},
    }


def deliveries_create_for_event(event) -> list[WebhookDelivery]:
    """Outbox handler: a delivery per active endpoint subscribed to the event's topic.

    Idempotent per event id: running it again for the same event creates nothing new.
    """
    endpoints = WebhookEndpoint.objects.subscribed_to(event.topic)
    if not endpoints:
        return []
    body = event_body(event)
    now = timezone.now()
    created = []
    for endpoint in endpoints:
        delivery, was_created = WebhookDelivery.objects.get_or_create(
            endpoint=endpoint,
            event_id=event.pk,
            defaults={
                "topic": event.topic,
                "payload": body,
                "next_attempt_at": now,
                "give_up_at": now + retry_window(),
            },
        )
        if was_created:
            created.append(delivery)
    _wake_after_commit([d.pk for d in created])
    return created


def _wake_after_commit(delivery_ids: list[int]) -> None:
    def wake() -> None:
        from .tasks import delivery_attempt_task

        for pk in delivery_ids:
            delivery_attempt_task.delay(pk)

    if delivery_ids:
        # robust: a broker outage must not fail the event; the sweep finds the deliveries.
        transaction.on_commit(wake, robust=True)


def retry_window() -> timedelta:
    return timedelta(hours=settings.WEBHOOK_RETRY_HOURS)


retry_delay = Backoff("WEBHOOK_RETRY_BASE_SECONDS", "WEBHOOK_RETRY_MAX_SECONDS")


# ---------------------------------------------------------------------------
# Delivering
# ---------------------------------------------------------------------------
def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Count the attempt and push next_attempt_at past the backoff before sending, in its own
    committed transaction: a worker that dies mid-request still used up an attempt, and a
    duplicate wake-up or an overlapping sweep skips a delivery in flight."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None or not delivery.endpoint.is_active:
            return None
        if now >= delivery.give_up_at:
            delivery.status = Status.FAILED
            delivery.last_error = delivery.last_error or "Gave up: the retry window closed."
            delivery.save(update_fields=["status", "last_error"])
            return None
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
        return delivery


def request_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def _send(delivery: WebhookDelivery) -> tuple[int | None, str, str]:
    """(status code or None, first part of the answer, error) for one signed POST."""
    endpoint = delivery.endpoint
    body = request_body(delivery)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Newsroom-Event": delivery.topic,
        "Newsroom-Event-Id": str(delivery.event_id),
        "Newsroom-Attempt": str(delivery.attempts),
        "Newsroom-Timestamp": str(timestamp),
        SIGNATURE_HEADER: sign(secret=endpoint.secret, timestamp=timestamp, body=body),
    }
    try:
        check_destination(endpoint.url)
        response = requests.post(
            endpoint.url,
            data=body,
            headers=headers,
            timeout=(settings.WEBHOOK_CONNECT_TIMEOUT, settings.WEBHOOK_READ_TIMEOUT),
            allow_redirects=False,
        )
    except DestinationRefused as exc:
        return None, "", str(exc)
    except requests.RequestException as exc:
        return None, "", f"{type(exc).__name__}: {exc}"[:MAX_RESPONSE_CHARS]
    answer = response.text[:MAX_RESPONSE_CHARS] if response.content else ""
    error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    return response.status_code, answer, error


def delivery_attempt(*, delivery_id: int) -> str:
    """Send one due delivery and record the outcome; safe to call any number of times.

    Returns "succeeded", "retrying", "failed" or "skipped" (not due, done, or its endpoint off).
    """
    started = timezone.now()
    delivery = _claim(delivery_id, started)
    if delivery is None:
        return "skipped"
    clock = time.monotonic()
    status_code, answer, error = _send(delivery)
    duration_ms = int((time.monotonic() - clock) * 1000)
    return _record(delivery, started, duration_ms, status_code, answer, error)


@transaction.atomic
def _record(delivery, started, duration_ms, status_code, answer, error) -> str:
    succeeded = not error
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=started,
        duration_ms=duration_ms,
        status_code=status_code,
        response_body=answer.replace("\x00", ""),
        error=error,
        succeeded=succeeded,
    )
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    now = timezone.now()
    delivery.last_status_code = status_code
    delivery.last_error = error
    if succeeded:
        delivery.status = Status.SUCCEEDED
        delivery.delivered_at = now
        delivery.save()
        endpoint.consecutive_failures = 0
        endpoint.failing_since = None
        endpoint.save(update_fields=["consecutive_failures", "failing_since", "updated_at"])
        return "succeeded"
    outcome = "retrying"
    if delivery.next_attempt_at >= delivery.give_up_at:
        delivery.status = Status.FAILED
        outcome = "failed"
    delivery.save()
    endpoint.consecutive_failures += 1
    endpoint.failing_since = endpoint.failing_since or started
    fields = ["consecutive_failures", "failing_since", "updated_at"]
    if endpoint.is_active and endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER:
        endpoint.is_active = False
        endpoint.disabled_at = now
        endpoint.disabled_reason = (
            f"Turned off after {endpoint.consecutive_failures} failed attempts in a row "
            f"(last: {error})."
        )[:300]
        fields += ["is_active", "disabled_at", "disabled_reason"]
        logger.warning(
            "Webhook endpoint disabled after repeated failures",
            extra={"endpoint_id": endpoint.pk, "failures": endpoint.consecutive_failures},
        )
    endpoint.save(update_fields=fields)
    logger.info(
        "Webhook delivery attempt failed",
        extra={
            "delivery_id": delivery.pk,
            "attempt": delivery.attempts,
            "error": error,
            "outcome": outcome,
        },
    )
    return outcome


def deliveries_due(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of pending deliveries whose next attempt is due, for active endpoints."""
    return list(
        WebhookDelivery.objects.filter(
            status=Status.PENDING,
            next_attempt_at__lte=now or timezone.now(),
            endpoint__is_active=True,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_prune(*, now: datetime | None = None, batch: int = 1000) -> int:
    """Delete finished deliveries (and their attempts) older than WEBHOOK_RETENTION_DAYS."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.WEBHOOK_RETENTION_DAYS)
    deleted = 0
    while True:
        ids = list(
            WebhookDelivery.objects.filter(created_at__lt=cutoff)
            .exclude(status=Status.PENDING)
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return deleted
        WebhookDelivery.objects.filter(pk__in=ids).delete()
        deleted += len(ids)


# ---------------------------------------------------------------------------
# Editors' actions (the admin)
# ---------------------------------------------------------------------------
def _require(user, perm: str, message: str) -> None:
    if not (user and user.is_active and user.has_perm(perm)):
        raise PermissionDenied(message)


@transaction.atomic
def deliveries_redeliver(*, user, delivery_ids: list[int]) -> int:
    """Send deliveries again (failed ones, or delivered ones a receiver lost), with a fresh
    retry window. Returns how many were queued."""
    _require(user, "webhooks.change_webhookdelivery", "Only editors can redeliver webhooks.")
    now = timezone.now()
    ids = list(
        WebhookDelivery.objects.select_for_update()
        .filter(pk__in=delivery_ids)
        .values_list("pk", flat=True)
    )
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=Status.PENDING, next_attempt_at=now, give_up_at=now + retry_window()
    )
    _wake_after_commit(ids)
    return len(ids)


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
    _wake_after_commit(ids)
    return locked


@transaction.atomic
def endpoint_rotate_secret(*, user, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret; from now on every request is signed with it."""
    _require(user, "webhooks.change_webhookendpoint", "Only editors can change webhooks.")
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint
