import json
import re
import time
from pathlib import Path

import pytest
import requests
import responses
from django.utils import timezone

from articles.services.workflow import article_publish, article_unpublish
from authors.tests.factories import UserFactory
from outbox.models import Event
from outbox.services import event_process
from webhooks import services
from webhooks.models import WebhookAttempt, WebhookDelivery
from webhooks.signing import sign, verify

from .factories import WebhookEndpointFactory
from .receiver import Receiver

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def documented_verify():
    """The receiver's snippet from docs/api.md, exactly as partners copy it."""
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(), re.S)
    snippet = next(b for b in blocks if "def verify_signature" in b)
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102 - our own documentation, tested
    return namespace["verify_signature"]


def publish_and_handle(article, editor) -> Event:
    article_publish(user=editor, article=article)
    event = Event.objects.filter(topic="article.published").latest("pk")
    assert event_process(event_id=event.pk) == "processed"
    return event


def test_publishing_creates_one_delivery_per_subscribed_endpoint(article, editor):
    subscribed = WebhookEndpointFactory()
    WebhookEndpointFactory(events=["article.unpublished"])
    WebhookEndpointFactory(is_active=False)

    event = publish_and_handle(article, editor)

    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint == subscribed and delivery.event_id == event.pk
    body = services.delivery_body(delivery)
    assert body["id"] == event.pk and body["type"] == "article.published"
    assert body["data"]["article"]["title"] == "Harbour plan"
    assert body["data"]["article"]["is_published"] is True
    assert "status" not in body["data"]["article"]


def test_handling_an_event_twice_creates_nothing_new(article, editor):
    WebhookEndpointFactory()
    event = publish_and_handle(article, editor)
    assert services.deliveries_create_for_event(event) == []
    assert WebhookDelivery.objects.count() == 1


def test_nothing_unpublished_leaves_the_newsroom(article, editor):
    WebhookEndpointFactory()
    article_publish(user=editor, article=article)
    article_unpublish(user=editor, article=article)
    for event in Event.objects.order_by("pk"):
        event_process(event_id=event.pk)
    bodies = {d.topic: services.delivery_body(d) for d in WebhookDelivery.objects.all()}
    assert bodies["article.published"]["data"]["article"] == {
        "id": article.pk,
        "is_published": False,
    }
    assert bodies["article.unpublished"]["data"]["article"] == {
        "id": article.pk,
        "is_published": False,
    }


def test_a_rolled_back_change_sends_nothing(article, editor):
    from django.db import transaction

    WebhookEndpointFactory()
    before = list(Event.objects.values_list("pk", flat=True))  # the new section's nav purge
    with pytest.raises(RuntimeError), transaction.atomic():
        article_publish(user=editor, article=article)
        raise RuntimeError("the editor's save failed")
    assert not Event.objects.exclude(pk__in=before).exists()
    assert not WebhookDelivery.objects.exists()


@responses.activate
def test_delivery_is_signed_and_recorded(article, editor):
    endpoint = WebhookEndpointFactory()
    responses.post(endpoint.url, status=204)
    event = publish_and_handle(article, editor)
    delivery = WebhookDelivery.objects.get()

    assert services.delivery_attempt(delivery_id=delivery.pk) == "succeeded"

    request = responses.calls[0].request
    assert request.headers["Newsroom-Event"] == "article.published"
    assert request.headers["Newsroom-Event-Id"] == str(event.pk)
    assert request.headers["Content-Type"] == "application/json"
    signature = request.headers["Newsroom-Signature"]
    assert verify(secret=endpoint.secret, header=signature, body=request.body, now=int(time.time()))
    assert documented_verify()(endpoint.secret, signature, request.body)
    assert json.loads(request.body)["id"] == event.pk
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempts == 1
    attempt = WebhookAttempt.objects.get()
    assert attempt.succeeded and attempt.status_code == 204
    # Delivered once: a second wake-up sends nothing.
    assert services.delivery_attempt(delivery_id=delivery.pk) == "skipped"
    assert len(responses.calls) == 1


def test_the_documented_snippet_refuses_tampering_and_old_timestamps():
    verify_signature = documented_verify()
    body = b'{"id":1}'
    now = int(time.time())
    good = sign(secret="s3cret", timestamp=now, body=body)
    assert verify_signature("s3cret", good, body)
    assert not verify_signature("s3cret", good, b'{"id":2}')
    assert not verify_signature("other", good, body)
    assert not verify_signature(
        "s3cret", sign(secret="s3cret", timestamp=now - 3600, body=body), body
    )
    assert not verify_signature("s3cret", "garbage", body)


@responses.activate
def test_failures_retry_with_growing_backoff_and_every_attempt_is_recorded(
    article, editor, settings
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    endpoint = WebhookEndpointFactory()
    responses.post(endpoint.url, status=500, body="boom")
    publish_and_handle(article, editor)
    delivery = WebhookDelivery.objects.get()
    delays = []
    for _ in range(3):
        assert services.delivery_attempt(delivery_id=delivery.pk) == "retrying"
        delivery.refresh_from_db()
        delays.append((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds())
        # Not due yet: a duplicate wake-up must not send it early.
        assert services.delivery_attempt(delivery_id=delivery.pk) == "skipped"
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert 30 <= delays[0] < 37 and 60 <= delays[1] < 73 and 120 <= delays[2] < 145
    attempts = list(WebhookAttempt.objects.order_by("number"))
    assert [a.number for a in attempts] == [1, 2, 3]
    assert attempts[0].status_code == 500 and attempts[0].response_body == "boom"
    assert attempts[0].error == "HTTP 500"
    assert [c.request.headers["Newsroom-Attempt"] for c in responses.calls] == ["1", "2", "3"]


@responses.activate
def test_delivery_gives_up_when_its_retry_window_closes(article, editor):
    endpoint = WebhookEndpointFactory()
    responses.post(endpoint.url, status=503)
    publish_and_handle(article, editor)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        give_up_at=timezone.now() + timezone.timedelta(seconds=5)
    )
    assert services.delivery_attempt(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert services.deliveries_due(now=timezone.now() + timezone.timedelta(days=2)) == []


@responses.activate
def test_endpoint_is_turned_off_after_repeated_failures(article, editor, settings):
    settings.WEBHOOK_DISABLE_AFTER = 3
    endpoint = WebhookEndpointFactory()
    responses.post(endpoint.url, body=requests.ConnectionError("refused"))
    publish_and_handle(article, editor)
    delivery = WebhookDelivery.objects.get()
    for _ in range(3):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        services.delivery_attempt(delivery_id=delivery.pk)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "3 failed attempts" in endpoint.disabled_reason
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert services.delivery_attempt(delivery_id=delivery.pk) == "skipped"
    assert services.deliveries_due() == []

    responses.replace(responses.POST, endpoint.url, status=200)
    services.endpoint_enable(user=editor, endpoint=endpoint)
    assert services.deliveries_due() == [delivery.pk]
    assert services.delivery_attempt(delivery_id=delivery.pk) == "succeeded"
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 0


@pytest.mark.parametrize(
    "url",
    ["http://169.254.169.254/latest/meta-data/", "http://localhost:5432/", "http://10.1.2.3/"],
)
def test_private_addresses_are_refused(article, editor, settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    with Receiver() as receiver:
        WebhookEndpointFactory(url=url.replace("5432", str(receiver.server.server_address[1])))
        publish_and_handle(article, editor)
        delivery = WebhookDelivery.objects.get()
        assert services.delivery_attempt(delivery_id=delivery.pk) == "retrying"
    assert receiver.requests == []
    attempt = WebhookAttempt.objects.get()
    assert "private or reserved address" in attempt.error
    assert attempt.status_code is None


@responses.activate
def test_editors_redeliver_with_a_fresh_window(article, editor):
    endpoint = WebhookEndpointFactory()
    responses.post(endpoint.url, status=200)
    publish_and_handle(article, editor)
    delivery = WebhookDelivery.objects.get()
    services.delivery_attempt(delivery_id=delivery.pk)
    assert services.deliveries_redeliver(user=editor, delivery_ids=[delivery.pk]).queued == 1
    assert services.delivery_attempt(delivery_id=delivery.pk) == "succeeded"
    assert len(responses.calls) == 2
    assert (
        responses.calls[0].request.headers["Newsroom-Event-Id"]
        == responses.calls[1].request.headers["Newsroom-Event-Id"]
    )


def test_reporters_cannot_redeliver():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.deliveries_redeliver(user=UserFactory(reporter=True), delivery_ids=[])


def test_a_real_receiver_gets_a_verifiable_payload(article, editor):
    with Receiver() as receiver:
        endpoint = WebhookEndpointFactory(url=receiver.url)
        publish_and_handle(article, editor)
        delivery = WebhookDelivery.objects.get()
        assert services.delivery_attempt(delivery_id=delivery.pk) == "succeeded"
    (request,) = receiver.requests
    assert request["path"] == "/hooks/newsroom"
    assert documented_verify()(
        endpoint.secret, request["headers"]["Newsroom-Signature"], request["body"]
    )
    assert json.loads(request["body"])["data"]["article"]["id"] == article.pk
    assert WebhookAttempt.objects.get().response_body == "thanks"


def test_prune_keeps_pending_deliveries(article, editor, settings):
    WebhookEndpointFactory()
    publish_and_handle(article, editor)
    WebhookDelivery.objects.update(created_at=timezone.now() - timezone.timedelta(days=90))
    assert services.deliveries_prune() == 0
    WebhookDelivery.objects.update(status="succeeded")
    assert services.deliveries_prune() == 1
