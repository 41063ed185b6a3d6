"""Thin tasks: wake-ups for the outbox. The database remembers what was done, so a lost or
duplicated message is harmless."""

from celery import shared_task
from django.utils import timezone

from .services import event_process, event_process_due, event_prune, sweep_complete

SWEEP_NAME = "outbox.process_due"


@shared_task(name="outbox.process_event")
def event_process_task(event_id: int) -> str:
    return event_process(event_id=event_id)


@shared_task(name="outbox.process_due")
def event_process_due_task() -> int:
    """Beat: pick up events whose wake-up was lost and retries whose time has come."""
    started_at = timezone.now()
    processed = event_process_due(now=started_at)
    sweep_complete(name=SWEEP_NAME, started_at=started_at, handled=len(processed))
    return len(processed)


@shared_task(name="outbox.prune")
def event_prune_task() -> int:
    return event_prune()
