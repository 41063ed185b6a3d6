"""What a receiver gets is the article as it is when each request is made, and one article's
events arrive in order: never "published" after "unpublished". Receivers are real HTTP servers
on this machine."""

import json

import pytest
from django.utils import timezone

from articles.services.editing import article_update
from articles.services.workflow import article_publish, article_unpublish
from articles.tests.factories import ArticleFactory
from outbox.models import Event
from outbox.services import event_process
from webhooks import services
from webhooks.models import WebhookDelivery

from .factories import WebhookEndpointFactory
from .receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def handle(topic: str) -> WebhookDelivery:
    event = Event.objects.filter(topic=topic).latest("pk")
    assert event_process(event_id=event.pk) == "processed"
    return WebhookDelivery.objects.get(event_id=event.pk)


def attempt(delivery: WebhookDelivery) -> str:
    """Make the delivery due now and attempt it."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    return services.delivery_attempt(delivery_id=delivery.pk)


def sent(receiver) -> list[tuple[str, dict]]:
    return [
        (r["headers"]["Newsroom-Event"], json.loads(r["body"])["data"]["article"])
        for r in receiver.requests
    ]


def test_a_retry_after_unpublishing_sends_a_tombstone(article, editor, receiver):
    WebhookEndpointFactory(url=receiver.url, events=["article.published"])
    article_publish(user=editor, article=article)
    published = handle("article.published")
    receiver.status = 503
    assert services.delivery_attempt(delivery_id=published.pk) == "retrying"
    assert sent(receiver)[0][1]["title"] == "Harbour plan"

    article_unpublish(user=editor, article=article)
    receiver.status = 200
    assert attempt(published) == "succeeded"

    topic, data = sent(receiver)[1]
    assert topic == "article.published"
    assert data == {"id": article.pk, "is_published": False}
    published.refresh_from_db()
    assert published.payload["data"]["article"] == data  # the body as last signed and sent


def test_a_retry_sends_the_article_as_it_is_now(article, editor, receiver):
    WebhookEndpointFactory(url=receiver.url, events=["article.published"])
    article_publish(user=editor, article=article)
    published = handle("article.published")
    receiver.status = 500
    services.delivery_attempt(delivery_id=published.pk)
    article.refresh_from_db()
    article_update(
        user=editor, article=article, data={"title": "Harbour plan approved"}, expected_version=None
    )
    receiver.status = 200
    assert attempt(published) == "succeeded"
    assert [data["title"] for _, data in sent(receiver)] == [
        "Harbour plan",
        "Harbour plan approved",
    ]


def test_deliver_again_after_unpublishing_sends_no_article(article, editor, receiver):
    WebhookEndpointFactory(url=receiver.url, events=["article.published"])
    article_publish(user=editor, article=article)
    published = handle("article.published")
    assert services.delivery_attempt(delivery_id=published.pk) == "succeeded"
    article_unpublish(user=editor, article=article)

    result = services.deliveries_redeliver(user=editor, delivery_ids=[published.pk])
    assert (result.queued, result.superseded) == (1, 0)
    assert services.delivery_attempt(delivery_id=published.pk) == "succeeded"
    assert sent(receiver)[1] == ("article.published", {"id": article.pk, "is_published": False})


def test_a_later_event_waits_for_the_earlier_one_of_the_same_article(article, editor, receiver):
    WebhookEndpointFactory(url=receiver.url)
    article_publish(user=editor, article=article)
    article_unpublish(user=editor, article=article)
    published = handle("article.published")
    unpublished = handle("article.unpublished")

    # The worker happens to pick the unpublish first: it waits, nothing is sent.
    assert services.delivery_attempt(delivery_id=unpublished.pk) == "waiting"
    assert receiver.requests == []
    unpublished.refresh_from_db()
    assert unpublished.attempts == 0 and unpublished.next_attempt_at > timezone.now()

    assert services.delivery_attempt(delivery_id=published.pk) == "succeeded"
    # Its success made the next one due at once.
    unpublished.refresh_from_db()
    assert unpublished.next_attempt_at <= timezone.now()
    assert services.delivery_attempt(delivery_id=unpublished.pk) == "succeeded"
    assert [topic for topic, _ in sent(receiver)] == ["article.published", "article.unpublished"]


def test_a_failing_earlier_event_holds_the_later_one_until_it_is_given_up(
    article, editor, receiver
):
    WebhookEndpointFactory(url=receiver.url)
    article_publish(user=editor, article=article)
    article_unpublish(user=editor, article=article)
    published = handle("article.published")
    unpublished = handle("article.unpublished")
    receiver.status = 500
    assert services.delivery_attempt(delivery_id=published.pk) == "retrying"
    assert attempt(unpublished) == "waiting"
    assert len(receiver.requests) == 1

    WebhookDelivery.objects.filter(pk=published.pk).update(give_up_at=timezone.now())
    assert attempt(published) == "failed"
    receiver.status = 200
    assert services.delivery_attempt(delivery_id=unpublished.pk) == "succeeded"
    assert sent(receiver)[-1] == ("article.unpublished", {"id": article.pk, "is_published": False})


def test_published_is_never_sent_after_unpublished(article, editor, receiver):
    """The outbox handled the unpublish first (the publish's handler was retried): once the
    receiver was told "unpublished", the older "published" is superseded, not sent."""
    WebhookEndpointFactory(url=receiver.url)
    article_publish(user=editor, article=article)
    article_unpublish(user=editor, article=article)
    unpublished = handle("article.unpublished")
    assert services.delivery_attempt(delivery_id=unpublished.pk) == "succeeded"

    published = handle("article.published")
    assert services.delivery_attempt(delivery_id=published.pk) == "superseded"
    published.refresh_from_db()
    assert published.status == "superseded" and published.attempts == 0
    assert [topic for topic, _ in sent(receiver)] == ["article.unpublished"]


def test_deliver_again_does_not_send_published_after_unpublished(article, editor, receiver, client):
    WebhookEndpointFactory(url=receiver.url)
    article_publish(user=editor, article=article)
    published = handle("article.published")
    services.delivery_attempt(delivery_id=published.pk)
    article_unpublish(user=editor, article=article)
    unpublished = handle("article.unpublished")
    services.delivery_attempt(delivery_id=unpublished.pk)

    client.force_login(editor)
    response = client.post(
        "/admin/webhooks/webhookdelivery/",
        {"action": "redeliver", "_selected_action": [published.pk, unpublished.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 deliveries queued." in page
    assert "1 not sent again: a later event for the same article" in page
    published.refresh_from_db()
    assert published.status == "superseded"
    assert services.delivery_attempt(delivery_id=published.pk) == "skipped"
    assert services.delivery_attempt(delivery_id=unpublished.pk) == "succeeded"
    assert [topic for topic, _ in sent(receiver)] == [
        "article.published",
        "article.unpublished",
        "article.unpublished",
    ]


def test_other_articles_and_endpoints_do_not_wait(article, editor, receiver):
    first, second = (
        WebhookEndpointFactory(url=receiver.url),
        WebhookEndpointFactory(url=receiver.url),
    )
    other = ArticleFactory(section=article.section)
    article_publish(user=editor, article=article)
    article_publish(user=editor, article=other)
    for event in Event.objects.order_by("pk"):
        event_process(event_id=event.pk)
    later = WebhookDelivery.objects.get(endpoint=first, article_id=other.pk)
    assert services.delivery_attempt(delivery_id=later.pk) == "succeeded"
    for delivery in WebhookDelivery.objects.filter(endpoint=second):
        assert services.delivery_attempt(delivery_id=delivery.pk) == "succeeded"
