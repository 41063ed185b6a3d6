"""Deliveries made before bodies were built at send time keep their article, time and extras."""

import pytest
from django.utils import timezone

from newsroom.tests.migrations import migrate, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("webhooks", "0002_editor_permissions")]
AFTER = [("webhooks", "0003_delivery_built_when_sent")]


def test_frozen_payloads_are_read_back_into_the_delivery():
    apps = migrate(BEFORE)
    endpoint = apps.get_model("webhooks", "WebhookEndpoint").objects.create(
        name="Partner", url="https://partner.example/hooks", events=["article.published"]
    )
    Delivery = apps.get_model("webhooks", "WebhookDelivery")
    frozen = {
        "id": 7,
        "type": "article.published",
        "created_at": "2030-05-04T06:00:01.204000+00:00",
        "data": {"article": {"id": 42, "title": "Old", "is_published": True}, "is_breaking": True},
    }
    Delivery.objects.create(
        endpoint=endpoint, event_id=7, topic="article.published", payload=frozen,
        give_up_at=timezone.now(),
    )  # fmt: skip

    apps = migrate(AFTER)
    delivery = apps.get_model("webhooks", "WebhookDelivery").objects.get(event_id=7)
    assert delivery.article_id == 42
    assert delivery.event_data == {"is_breaking": True}
    assert delivery.event_created_at.isoformat() == "2030-05-04T06:00:01.204000+00:00"
    migrate_to_latest()
