"""Deliveries made before bodies were built at send time keep their article, time and extras."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("webhooks", "0002_editor_permissions")]
AFTER = [("webhooks", "0003_delivery_built_when_sent")]


def test_frozen_payloads_are_read_back_into_the_delivery():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
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

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    delivery = apps.get_model("webhooks", "WebhookDelivery").objects.get(event_id=7)
    assert delivery.article_id == 42
    assert delivery.event_data == {"is_breaking": True}
    assert delivery.event_created_at.isoformat() == "2030-05-04T06:00:01.204000+00:00"
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
