"""Sending deliveries: claim, order per article, sign, post to the checked address, record."""

import json
import logging
import time
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import network
from ..models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from ..network import DestinationRefused
from ..signing import SIGNATURE_HEADER, sign
from .events import delivery_body, retry_delay, retry_window, wake_after_commit

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status
MAX_RESPONSE_CHARS = 1000
USER_AGENT = "Newsroom-Webhooks/1.0"
# How long after an earlier event for the same article a waiting delivery looks again.
WAIT_STEP = timedelta(seconds=1)


def same_article(delivery: WebhookDelivery):
    return WebhookDelivery.objects.filter(
        endpoint_id=delivery.endpoint_id, article_id=delivery.article_id
    ).exclude(pk=delivery.pk)


def _claim(delivery_id: int, now: datetime) -> tuple[WebhookDelivery | None, str]:
    """Count the attempt and push next_attempt_at past the backoff before sending, in its own
    committed transaction: a worker that dies mid-request still used up an attempt, and a
    duplicate wake-up or an overlapping sweep skips a delivery in flight.

    Claims for one endpoint are serialised (its row is locked), so the per-article order holds
    between workers: a delivery waits while an earlier event for its article is pending, and is
    superseded once a later one has been attempted (the receiver may hold the newer state).
    Returns (delivery to send or None, outcome when None).
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return None, "skipped"
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        if not endpoint.is_active:
            return None, "skipped"
        delivery.endpoint = endpoint
        if delivery.article_id is not None:
            others = same_article(delivery)
            if others.filter(event_id__gt=delivery.event_id, attempts__gt=0).exists():
                delivery.status = Status.SUPERSEDED
                delivery.last_error = (
                    "Not sent: a later event for this article was already sent to this endpoint."
                )
                delivery.save(update_fields=["status", "last_error"])
                return None, "superseded"
            earlier = (
                others.filter(event_id__lt=delivery.event_id, status=Status.PENDING)
                .order_by("next_attempt_at")
                .first()
            )
            if earlier is not None:
                # Tried again just after the earlier one; its outcome wakes this one at once.
                delivery.next_attempt_at = max(earlier.next_attempt_at, now) + WAIT_STEP
                delivery.save(update_fields=["next_attempt_at"])
                return None, "waiting"
        if now >= delivery.give_up_at:
            delivery.status = Status.FAILED
            delivery.last_error = delivery.last_error or "Gave up: the retry window closed."
            delivery.save(update_fields=["status", "last_error"])
            _wake_next_for_article(delivery, now)
            return None, "failed"
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
        return delivery, ""


def _wake_next_for_article(delivery: WebhookDelivery, now: datetime) -> None:
    """The delivery is done: the next event for its article may go now, with a full window."""
    if delivery.article_id is None:
        return
    following = (
        same_article(delivery)
        .filter(event_id__gt=delivery.event_id, status=Status.PENDING)
        .order_by("event_id")
        .first()
    )
    if following is None:
        return
    following.next_attempt_at = now
    following.give_up_at = max(following.give_up_at, now + retry_window())
    following.save(update_fields=["next_attempt_at", "give_up_at"])
    wake_after_commit([following.pk])


def request_body(body: dict) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _send(delivery: WebhookDelivery, body: bytes) -> tuple[int | None, str, str]:
    """(status code or None, first part of the answer, error) for one signed POST."""
    endpoint = delivery.endpoint
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
        response = network.post(
            endpoint.url,
            data=body,
            headers=headers,
            timeout=(settings.WEBHOOK_CONNECT_TIMEOUT, settings.WEBHOOK_READ_TIMEOUT),
            verify=settings.WEBHOOK_CA_BUNDLE or True,
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

    Returns "succeeded", "retrying" or "failed" after sending; "waiting" (an earlier event for
    the same article goes first), "superseded" or "failed" (window closed) without sending; or
    "skipped" (not due, done, or its endpoint off).
    """
    started = timezone.now()
    delivery, outcome = _claim(delivery_id, started)
    if delivery is None:
        return outcome
    body = delivery_body(delivery)
    clock = time.monotonic()
    status_code, answer, error = _send(delivery, request_body(body))
    duration_ms = int((time.monotonic() - clock) * 1000)
    return _record(delivery, body, started, duration_ms, status_code, answer, error)


@transaction.atomic
def _record(delivery, body, started, duration_ms, status_code, answer, error) -> str:
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
    delivery.payload = body
    delivery.last_status_code = status_code
    delivery.last_error = error
    if succeeded:
        delivery.status = Status.SUCCEEDED
        delivery.delivered_at = now
        delivery.save()
        endpoint.consecutive_failures = 0
        endpoint.failing_since = None
        endpoint.save(update_fields=["consecutive_failures", "failing_since", "updated_at"])
        _wake_next_for_article(delivery, now)
        return "succeeded"
    outcome = "retrying"
    if delivery.next_attempt_at >= delivery.give_up_at:
        delivery.status = Status.FAILED
        outcome = "failed"
        _wake_next_for_article(delivery, now)
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
