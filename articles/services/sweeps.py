"""The scheduler's sweeps: publish what is due, withdraw what has expired. Safe to run any
number of times, concurrently."""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ..models import Article
from . import workflow

logger = logging.getLogger(__name__)

LATE_PUBLISH_LOG_THRESHOLD = timedelta(seconds=10)


def article_publish_due(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Publish every scheduled article whose time has come; return their ids.

    Each article is claimed with a row lock that skips rows another sweep holds, and published in
    its own transaction, so concurrent sweeps never publish one twice. An article that fails to
    publish is logged and passed over for the rest of this sweep, so it cannot hold back the
    others; the next sweep tries it again. Safe to call any number of times.
    """
    published: list[int] = []
    failed: list[int] = []
    for _ in range(limit):
        claimed = None
        try:
            with transaction.atomic():
                cutoff = now or timezone.now()
                claimed = (
                    Article.objects.scheduled_due(cutoff)
                    .exclude(pk__in=failed)
                    .order_by("publish_at", "pk")
                    .select_for_update(skip_locked=True)
                    .first()
                )
                if claimed is None:
                    break
                _publish_scheduled(claimed)
        except Exception:
            if claimed is None:
                raise
            logger.exception(
                "Scheduled article failed to publish", extra={"article_id": claimed.pk}
            )
            failed.append(claimed.pk)
            continue
        published.append(claimed.pk)
    return published


def _publish_scheduled(article: Article) -> None:
    moment = timezone.now()
    delay = max(moment - article.publish_at, timedelta(0))
    article.publish_delay = delay
    note = f"Published by the scheduler, {_human_delay(delay)} after its time."
    if delay >= LATE_PUBLISH_LOG_THRESHOLD:
        logger.warning(
            "Scheduled article published late",
            extra={"article_id": article.pk, "delay_seconds": delay.total_seconds()},
        )
    workflow.go_live(article, actor=None, now=moment, action="publish_scheduled", comment=note)


def article_expire_due(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Withdraw every live article whose unpublish_at has passed; return their ids."""
    expired: list[int] = []
    for _ in range(limit):
        with transaction.atomic():
            article = (
                Article.objects.expiry_due(now or timezone.now())
                .order_by("unpublish_at", "pk")
                .select_for_update(skip_locked=True)
                .first()
            )
            if article is None:
                break
            article.unpublish_at = None
            workflow.withdraw(
                article, actor=None, action="expire", comment="Expired at its unpublish time."
            )
            expired.append(article.pk)
    return expired


def _human_delay(delay: timedelta) -> str:
    seconds = int(delay.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"
