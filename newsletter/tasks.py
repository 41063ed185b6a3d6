"""Thin Celery tasks: ids in, the ledger decides. Every task is safe to run twice or never
(the sweep covers a lost one)."""

from celery import shared_task
from django.utils import timezone

from .services import (
    edition_compose_digest,
    edition_prepare,
    edition_send_batch,
    newsletter_sweep,
)


@shared_task(name="newsletter.prepare_edition")
def edition_prepare_task(edition_id: int) -> None:
    edition_prepare(edition_id=edition_id)


@shared_task(name="newsletter.send_edition")
def edition_send_task(edition_id: int) -> dict:
    report = edition_send_batch(edition_id=edition_id)
    return {"sent": report.sent, "failed": report.failed, "stopped": report.stopped}


@shared_task(name="newsletter.sweep")
def newsletter_sweep_task() -> dict:
    return newsletter_sweep(now=timezone.now())


@shared_task(name="newsletter.compose_digest")
def edition_compose_digest_task() -> int | None:
    edition = edition_compose_digest(now=timezone.now())
    return edition.pk if edition else None
