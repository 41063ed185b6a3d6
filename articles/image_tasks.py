"""Hero image renditions in the background.

A change of hero image is recorded as an outbox event ("article.hero_image_changed") in the
transaction that saves it, so a lost wake-up or a worker crash only delays the renditions: the
outbox sweep runs the handler again. The task lets an editor or an operator ask again by hand.
"""

import logging

from celery import shared_task

from outbox.handlers import register

logger = logging.getLogger(__name__)


@shared_task(name="articles.hero_renditions")
def article_hero_renditions_task(article_id: int) -> dict | None:
    from .images import article_hero_renditions_generate

    return article_hero_renditions_generate(article_id=article_id)


@register("article.hero_image_changed")
def hero_image_changed(event) -> None:
    from .images import article_hero_renditions_generate

    article_id = (event.payload or {}).get("article_id")
    if article_id:
        article_hero_renditions_generate(article_id=article_id)
