"""Thin tasks: ids in, the services do the work; the database remembers what was sent."""

from celery import shared_task

from .services import deliveries_due, deliveries_prune, delivery_attempt


@shared_task(name="webhooks.deliver")
def delivery_attempt_task(delivery_id: int) -> str:
    return delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.deliver_due")
def deliveries_due_task() -> int:
    """Beat: queue retries whose time has come and deliveries whose wake-up was lost."""
    ids = deliveries_due()
    for pk in ids:
        delivery_attempt_task.delay(pk)
    return len(ids)


@shared_task(name="webhooks.prune")
def deliveries_prune_task() -> int:
    return deliveries_prune()
