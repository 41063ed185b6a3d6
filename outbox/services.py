"""Outbox writes: record an event with the change that causes it, process it after commit.

Processing is at least once: a handler runs again if its worker dies before the event is marked
processed, so handlers are idempotent per ``event.pk``. Handlers' own database writes commit
together with the "processed" mark, so for those the effect is exactly once.
"""

import enum
import logging
import traceback
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.backoff import Backoff
from core.wakeups import send_wake_up

from .handlers import handlers_for
from .models import Event, Sweep

logger = logging.getLogger(__name__)

# The part of a traceback kept in Event.last_error: enough to debug, bounded in size.
MAX_ERROR_CHARS = 4000


class Outcome(enum.StrEnum):
    PROCESSED = "processed"
    RETRYING = "retrying"
    FAILED = "failed"
    SKIPPED = "skipped"


def event_record(*, topic: str, payload: dict, available_at: datetime | None = None) -> Event:
    """Record a side effect inside the caller's transaction and wake a worker after commit
    (or, with ``available_at`` in the future, leave it to the sweep that comes after then).

    If the transaction rolls back, the event never existed; if the wake-up is lost, the beat
    sweep finds the event anyway.
    """
    if available_at is not None and available_at > timezone.now():
        return Event.objects.create(topic=topic, payload=payload, available_at=available_at)
    event = Event.objects.create(topic=topic, payload=payload)

    def wake() -> None:
        from .tasks import event_process_task

        send_wake_up(event_process_task, event.pk)

    # The change is committed; a broker outage must neither turn it into an error for the user
    # who made it nor hold them up (core.wakeups). The sweep processes the event when the
    # broker is back.
    transaction.on_commit(wake, robust=True)
    return event


retry_delay = Backoff("OUTBOX_RETRY_BASE_SECONDS", "OUTBOX_RETRY_MAX_SECONDS")


def _claim(event_id: int, now: datetime) -> Event | None:
    """Count the attempt in its own committed transaction before any handler runs.

    A worker killed mid-run (SIGKILL, out of memory, hard time limit) then still uses up an
    attempt, and available_at moves past the backoff so the sweep retries it later: an event
    that crashes its worker ends up failed instead of crashing workers forever.
    """
    with transaction.atomic():
        event = (
            Event.objects.due(now).filter(pk=event_id).select_for_update(skip_locked=True).first()
        )
        if event is None:
            return None
        if event.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            event.failed_at = now
            event.save(update_fields=["failed_at"])
            logger.error(
                "Outbox event failed: out of attempts",
                extra={"event_id": event.pk, "topic": event.topic, "attempts": event.attempts},
            )
            return None
        event.attempts += 1
        event.available_at = now + retry_delay(event.attempts)
        event.last_error = (
            f"Attempt {event.attempts} started at {now.isoformat()} and did not finish "
            "(the worker stopped or hit its hard time limit)."
        )
        event.save(update_fields=["attempts", "available_at", "last_error"])
        return event


def event_process(*, event_id: int) -> Outcome:
    """Run the handlers of one due event and mark it processed; safe to call any number of times.

    The row stays locked while its handlers run, so a duplicate wake-up or a concurrent sweep
    skips it. A handler error rolls back every handler's database writes, records the error and
    schedules a retry with backoff; after OUTBOX_MAX_ATTEMPTS attempts the event is failed.
    """
    if _claim(event_id, timezone.now()) is None:
        return Outcome.SKIPPED
    with transaction.atomic():
        # Not skip_locked: the claim above just committed, nobody else may run it now, and a
        # momentary lock by another worker's claim attempt must not make this run give up.
        event = Event.objects.pending().filter(pk=event_id).select_for_update().first()
        if event is None:
            return Outcome.SKIPPED
        try:
            with transaction.atomic():
                for handler in handlers_for(event.topic):
                    handler(event)
        except Exception as exc:
            return _record_failure(event, exc)
        event.processed_at = timezone.now()
        event.last_error = ""
        event.save(update_fields=["processed_at", "last_error"])
    logger.info(
        "Outbox event processed",
        extra={"event_id": event.pk, "topic": event.topic, "attempts": event.attempts},
    )
    return Outcome.PROCESSED


def _record_failure(event: Event, exc: Exception) -> Outcome:
    now = timezone.now()
    event.last_error = "".join(traceback.format_exception(exc))[-MAX_ERROR_CHARS:]
    extra = {"event_id": event.pk, "topic": event.topic, "attempts": event.attempts}
    if event.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        event.failed_at = now
        event.save(update_fields=["last_error", "failed_at"])
        logger.error("Outbox event failed: out of attempts", extra=extra, exc_info=exc)
        return Outcome.FAILED
    delay = retry_delay(event.attempts)
    # A remote service that answered "retry after N seconds" (a rate limit) is not asked sooner.
    asked = getattr(exc, "retry_after", None)
    if asked:
        delay = max(delay, timedelta(seconds=min(asked, settings.OUTBOX_RETRY_MAX_SECONDS)))
    event.available_at = now + delay
    event.save(update_fields=["last_error", "available_at"])
    logger.warning(
        "Outbox event handler failed; will retry",
        extra={**extra, "retry_at": event.available_at.isoformat()},
        exc_info=exc,
    )
    return Outcome.RETRYING


def event_process_due(*, now: datetime | None = None, limit: int = 100) -> list[int]:
    """Process due events whose wake-up was lost or whose retry time has come; return their ids.

    Events another worker is processing are skipped, so sweeps may overlap safely.
    """
    ids = list(
        Event.objects.due(now or timezone.now())
        .order_by("available_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return [pk for pk in ids if event_process(event_id=pk) == Outcome.PROCESSED]


def event_retry(*, user, event_ids: list[int]) -> int:
    """Give failed events a fresh set of attempts and wake a worker; return how many."""
    if not (user and user.is_active and user.has_perm("outbox.change_event")):
        raise PermissionDenied("You may not retry background events.")
    with transaction.atomic():
        ids = list(
            Event.objects.filter(pk__in=event_ids, failed_at__isnull=False)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        Event.objects.filter(pk__in=ids).update(
            failed_at=None, attempts=0, available_at=timezone.now()
        )

        def wake() -> None:
            from .tasks import event_process_task

            for pk in ids:
                send_wake_up(event_process_task, pk)

        transaction.on_commit(wake, robust=True)
    logger.info("Outbox events retried", extra={"event_ids": ids, "user_id": user.pk})
    return len(ids)


def sweep_complete(*, name: str, started_at: datetime, handled: int = 0) -> Sweep:
    """Record that a periodic sweep finished; /healthz/full reads the time."""
    now = timezone.now()
    sweep, _ = Sweep.objects.update_or_create(
        name=name,
        defaults={"completed_at": now, "duration": now - started_at, "handled": handled},
    )
    return sweep


def event_prune(*, now: datetime | None = None, batch: int = 1000) -> int:
    """Delete processed events older than OUTBOX_RETENTION_DAYS, in batches; return how many.

    Failed and pending events are kept whatever their age: they are work still to look at.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted = 0
    while True:
        ids = list(
            Event.objects.filter(processed_at__lt=cutoff).values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return deleted
        deleted += Event.objects.filter(pk__in=ids).delete()[0]
