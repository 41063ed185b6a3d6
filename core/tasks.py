"""Thin periodic tasks of the shared infrastructure."""

from celery import shared_task
from django.utils import timezone

from .ratelimit import store


@shared_task(name="core.ratelimit_prune")
def ratelimit_prune_task() -> int:
    """Beat: forget the database's rate-limit windows that are over."""
    return store.prune(now=timezone.now())
