"""Thin Celery tasks for comments: ids in, one service call. All are safe to run twice."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="comments.moderator_digest")
def moderator_digest_task() -> None:
    from .moderator_mail import moderator_digest_send

    sent = moderator_digest_send()
    logger.info("comment moderation digest", extra={"sent": sent})


@shared_task(name="comments.purge_personal_data")
def personal_data_purge_task() -> None:
    from .privacy import personal_data_purge

    changed = personal_data_purge()
    logger.info("comment personal data purged", extra={"rows": changed})
