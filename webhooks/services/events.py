"""Outbox events become deliveries; a delivery's body is built when it is sent."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.backoff import Backoff
from core.wakeups import send_wake_up

from ..models import WebhookDelivery, WebhookEndpoint


def article_data(article_id: int | None, *, topic: str) -> dict:
    """``data.article`` as of now: the article as the API lists it while it is published, else
    a tombstone naming it by id only (nothing unpublished leaves the newsroom)."""
    from api.selectors import with_comment_stats
    from api.serializers.articles import ArticleSummarySerializer
    from articles.selectors import article_list_published

    article = None
    if article_id is not None and topic != "article.unpublished":
        article = with_comment_stats(article_list_published()).filter(pk=article_id).first()
    if article is None:
        return {"id": article_id, "is_published": False}
    described = ArticleSummarySerializer(article, context={"staff": False}).data
    return {**described, "is_published": True}


def entry_data(entry_id: int | None, *, article: dict, topic: str) -> dict:
    """``data.entry`` of a live coverage event as of now: the entry as the API shows it while
    its article is published and it exists, else a tombstone naming it by id only."""
    from api.serializers.entries import entry_data as describe
    from articles.models import Entry

    entry = None
    if entry_id is not None and article.get("is_published") and topic != "liveblog.entry.deleted":
        entry = (
            Entry.objects.filter(pk=entry_id, article_id=article["id"])
            .select_related("article")
            .prefetch_related("authors")
            .first()
        )
    if entry is None:
        return {"id": entry_id, "is_published": False}
    return {**describe(entry), "is_published": True}


def delivery_body(delivery: WebhookDelivery) -> dict:
    """The JSON a receiver gets for a delivery, built when it is sent."""
    created_at = delivery.event_created_at or delivery.created_at
    article = article_data(delivery.article_id, topic=delivery.topic)
    data = {"article": article, **delivery.event_data}
    if delivery.topic.startswith("liveblog.entry."):
        data["entry"] = entry_data(
            data.pop("entry_id", None), article=article, topic=delivery.topic
        )
    return {
        "id": delivery.event_id,
        "type": delivery.topic,
        "created_at": created_at.isoformat(),
        "data": data,
    }


def deliveries_create_for_event(event) -> list[WebhookDelivery]:
    """Outbox handler: a delivery per active endpoint subscribed to the event's topic.

    Idempotent per event id: running it again for the same event creates nothing new. What the
    event says is kept on the delivery, not the article: the body is built when it is sent.
    """
    endpoints = WebhookEndpoint.objects.subscribed_to(event.topic)
    if not endpoints:
        return []
    article_id = event.payload.get("article_id")
    extra = {k: v for k, v in event.payload.items() if k != "article_id"}
    now = timezone.now()
    created = []
    for endpoint in endpoints:
        delivery, was_created = WebhookDelivery.objects.get_or_create(
            endpoint=endpoint,
            event_id=event.pk,
            defaults={
                "topic": event.topic,
                "article_id": article_id,
                "event_created_at": event.created_at,
                "event_data": extra,
                "next_attempt_at": now,
                "give_up_at": now + retry_window(),
            },
        )
        if was_created:
            created.append(delivery)
    wake_after_commit([d.pk for d in created])
    return created


def wake_after_commit(delivery_ids: list[int]) -> None:
    def wake() -> None:
        from ..tasks import delivery_attempt_task

        for pk in delivery_ids:
            send_wake_up(delivery_attempt_task, pk)

    if delivery_ids:
        # A broker outage must not fail or hold up the event; the sweep finds the deliveries.
        transaction.on_commit(wake, robust=True)


def retry_window() -> timedelta:
    return timedelta(hours=settings.WEBHOOK_RETRY_HOURS)


retry_delay = Backoff("WEBHOOK_RETRY_BASE_SECONDS", "WEBHOOK_RETRY_MAX_SECONDS")
