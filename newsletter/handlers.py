"""Outbox handlers: what the newsletter does when something happens elsewhere. Each runs inside
the event's transaction and is idempotent per event (the outbox may run it again)."""

from outbox.handlers import register

from .services import CONFIRMATION_TOPIC, confirmation_send, edition_create_breaking


@register("article.published")
def breaking_news_alert(event) -> None:
    """Publishing a breaking article sends one alert to the Breaking news list, once."""
    article_id = (event.payload or {}).get("article_id")
    if article_id:
        edition_create_breaking(article_id=article_id)


@register(CONFIRMATION_TOPIC)
def confirmation_email(event) -> None:
    subscriber_id = (event.payload or {}).get("subscriber_id")
    if subscriber_id:
        confirmation_send(subscriber_id=subscriber_id)
