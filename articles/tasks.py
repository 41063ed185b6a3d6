"""Thin tasks for articles: the scheduled-publishing sweep and its exact-time wake-ups.

The database holds the schedule (Article.publish_at and unpublish_at); these tasks only wake a
worker to look at it, so a lost or repeated message is harmless. See docs/background-work.md.
"""

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from outbox.services import sweep_complete

from .models import Article
from .services.sweeps import article_expire_due, article_publish_due

logger = logging.getLogger(__name__)

SWEEP_NAME = "articles.publish_due"
# A wake-up fires just after the due time, so the worker's own clock already finds it due.
WAKE_UP_MARGIN = timedelta(milliseconds=50)
# A wake-up the worker could not run within this long is dropped: the sweeps have done its work.
WAKE_UP_EXPIRES = timedelta(seconds=60)
MAX_WAKE_UPS_PER_SWEEP = 50


def _publish_and_expire(now: datetime) -> tuple[list[int], list[int], bool]:
    """Run both halves even if one fails, so a bad article cannot hold back expiries."""
    published: list[int] = []
    expired: list[int] = []
    ok = True
    try:
        published = article_publish_due(now=now)
    except Exception:
        ok = False
        logger.exception("Scheduled publishing sweep failed")
    try:
        expired = article_expire_due(now=now)
    except Exception:
        ok = False
        logger.exception("Scheduled expiry sweep failed")
    if published or expired:
        logger.info(
            "Scheduled sweep published and withdrew articles",
            extra={"published_ids": published, "expired_ids": expired},
        )
    return published, expired, ok


def _wake_up_times(now: datetime) -> list[datetime]:
    """Publish and expiry times that fall before the next sweep."""
    until = now + timedelta(seconds=settings.PUBLISHING_SWEEP_SECONDS)
    publish = (
        Article.objects.scheduled_due(until)
        .filter(publish_at__gt=now)
        .values_list("publish_at", flat=True)
    )
    expire = (
        Article.objects.expiry_due(until)
        .filter(unpublish_at__gt=now)
        .values_list("unpublish_at", flat=True)
    )
    return sorted(set(publish) | set(expire))[:MAX_WAKE_UPS_PER_SWEEP]


@shared_task(name="articles.publish_due")
def article_publish_due_task() -> int:
    """Beat, every PUBLISHING_SWEEP_SECONDS: publish and withdraw what is due, record the sweep
    for /healthz/full, and wake a worker at the exact time of anything due before the next sweep."""
    started_at = timezone.now()
    published, expired, ok = _publish_and_expire(started_at)
    if ok:
        handled = len(published) + len(expired)
        sweep_complete(name=SWEEP_NAME, started_at=started_at, handled=handled)
    for when in _wake_up_times(started_at):
        article_publish_wake_task.apply_async(
            eta=when + WAKE_UP_MARGIN, expires=when + WAKE_UP_EXPIRES
        )
    return len(published) + len(expired)


@shared_task(name="articles.publish_wake")
def article_publish_wake_task() -> int:
    """An exact-time wake-up: the same work as the sweep, without scheduling more wake-ups."""
    published, expired, _ = _publish_and_expire(timezone.now())
    return len(published) + len(expired)
