"""End to end with a real Celery worker: an editor publishes through the API with a token, and
a partner's receiver gets a signed webhook it can verify with the documented snippet."""

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.tests.factories import ArticleFactory, SectionFactory
from authors.tests.factories import UserFactory
from conftest import wait_until
from webhooks.models import WebhookDelivery

from .factories import WebhookEndpointFactory
from .receiver import Receiver
from .test_services import documented_verify

pytestmark = [pytest.mark.worker, pytest.mark.slow]


def editor_user():
    """An editor whose permissions do not depend on the role groups of the data migrations
    (a transactional test run earlier flushes those away)."""
    from django.contrib.auth.models import Permission

    user = UserFactory(editor=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["view_article", "change_article", "publish_article", "edit_any_article"],
        )
    )
    return user


def test_publishing_through_the_api_delivers_a_signed_webhook(transactional_db, start_worker):
    editor = editor_user()
    token = Token.objects.create(user=editor)
    article = ArticleFactory(section=SectionFactory(slug="city"), title="Harbour plan")
    with Receiver() as receiver:
        endpoint = WebhookEndpointFactory(url=receiver.url, events=["article.published"])
        start_worker(WEBHOOK_ALLOW_PRIVATE_NETWORKS="true")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

        response = client.post(f"/api/v1/articles/{article.pk}/publish/")
        assert response.status_code == 200, response.content

        wait_until(lambda: receiver.requests, timeout=60)
        wait_until(lambda: WebhookDelivery.objects.filter(status="succeeded").exists(), timeout=30)
    (request,) = receiver.requests
    assert request["headers"]["Newsroom-Event"] == "article.published"
    verify_signature = documented_verify()
    assert verify_signature(
        endpoint.secret, request["headers"]["Newsroom-Signature"], request["body"]
    )
    body = json.loads(request["body"])
    assert body["data"]["article"]["id"] == article.pk
    assert body["data"]["article"]["title"] == "Harbour plan"


def test_publish_then_unpublish_reaches_the_receiver_in_order(transactional_db, start_worker):
    """Two worker processes handle the events and deliveries concurrently; the receiver still
    hears "published" before "unpublished", and the late "published" carries no article."""
    from articles.services.workflow import article_publish, article_unpublish

    editor = editor_user()
    article = ArticleFactory(section=SectionFactory(slug="city"), title="Harbour plan")
    with Receiver() as receiver:
        WebhookEndpointFactory(
            url=receiver.url, events=["article.published", "article.unpublished"]
        )
        start_worker(concurrency=2, WEBHOOK_ALLOW_PRIVATE_NETWORKS="true")
        article_publish(user=editor, article=article)
        article_unpublish(user=editor, article=article)
        wait_until(lambda: len(receiver.requests) == 2, timeout=60)
    events = [r["headers"]["Newsroom-Event"] for r in receiver.requests]
    assert events == ["article.published", "article.unpublished"]
    tombstone = {"id": article.pk, "is_published": False}
    assert json.loads(receiver.requests[1]["body"])["data"]["article"] == tombstone
    assert WebhookDelivery.objects.filter(status="succeeded").count() == 2
