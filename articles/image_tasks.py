"""Hero image and live entry picture renditions in the background.

A change of hero image is recorded as an outbox event ("article.hero_image_changed") in the
transaction that saves it, and a live entry's new picture as "article.entry_image_changed",
so a lost wake-up or a worker crash only delays the renditions: the outbox sweep runs the
handler again. The tasks let an editor or an operator ask again by hand.
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


@shared_task(name="articles.entry_image_renditions")
def entry_image_renditions_task(entry_id: int) -> dict | None:
    from .images import entry_image_renditions_generate

    return entry_image_renditions_generate(entry_id=entry_id)


@register("article.entry_image_changed")
def entry_image_changed(event) -> None:
    from .images import entry_image_renditions_generate

    entry_id = (event.payload or {}).get("entry_id")
    if entry_id:
        entry_image_renditions_generate(entry_id=entry_id)
