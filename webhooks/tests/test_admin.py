import pytest
from django.urls import reverse

from authors.tests.factories import UserFactory
from webhooks.models import WebhookDelivery, WebhookEndpoint

from .factories import WebhookEndpointFactory

pytestmark = pytest.mark.django_db


def test_editors_register_an_endpoint_in_the_admin(client, dns):
    dns.add("app.example.com", ["93.184.215.14"])
    editor = UserFactory(editor=True)
    client.force_login(editor)
    response = client.post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {
            "name": "Mobile app",
            "url": "https://app.example.com/hooks/newsroom",
            "events": ["article.published", "article.corrected"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["article.published", "article.corrected"]
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40
    assert endpoint.created_by == editor
    page = client.get(reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]))
    assert endpoint.secret in page.content.decode()


def test_admin_refuses_other_schemes(client):
    client.force_login(UserFactory(editor=True))
    response = client.post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {"name": "Bad", "url": "ftp://example.com/x", "events": ["article.published"]},
    )
    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()


def test_reporters_cannot_see_webhooks(client):
    client.force_login(UserFactory(reporter=True))
    assert client.get(reverse("admin:webhooks_webhookendpoint_changelist")).status_code == 403


def test_turning_an_endpoint_back_on_resumes_its_deliveries(client):
    from django.utils import timezone

    editor = UserFactory(editor=True)
    endpoint = WebhookEndpointFactory(is_active=False, consecutive_failures=20)
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=1,
        topic="article.published",
        payload={},
        give_up_at=timezone.now(),
    )
    client.force_login(editor)
    response = client.post(
        reverse("admin:webhooks_webhookendpoint_changelist"),
        {"action": "enable_again", "_selected_action": [endpoint.pk]},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 0
    assert WebhookDelivery.objects.get().give_up_at > timezone.now()
