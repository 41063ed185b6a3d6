"""Deliveries keep what the event said (article, time, extras) and build the body when sent."""

from django.db import migrations, models
from django.utils.dateparse import parse_datetime


def from_frozen_payloads(apps, schema_editor):
    """Existing deliveries: read the article id, the event time and the extras back from the
    body that used to be frozen at event time."""
    WebhookDelivery = apps.get_model("webhooks", "WebhookDelivery")
    for delivery in WebhookDelivery.objects.iterator(chunk_size=500):
        payload = delivery.payload or {}
        data = dict(payload.get("data") or {})
        article = data.pop("article", None) or {}
        delivery.article_id = article.get("id") if isinstance(article, dict) else None
        delivery.event_created_at = parse_datetime(payload.get("created_at") or "")
        delivery.event_data = data
        delivery.save(update_fields=["article_id", "event_created_at", "event_data"])


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0002_editor_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookdelivery",
            name="article_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="webhookdelivery",
            name="event_created_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="webhookdelivery",
            name="event_data",
            field=models.JSONField(
                blank=True, default=dict, help_text="What the event said besides the article."
            ),
        ),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="payload",
            field=models.JSONField(
                blank=True,
                help_text="The JSON body of the last attempt, exactly as signed.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Pending"),
                    ("succeeded", "Delivered"),
                    ("failed", "Failed"),
                    ("superseded", "Superseded by a later event"),
                ],
                db_index=True,
                default="pending",
                max_length=20,
            ),
        ),
        migrations.AddIndex(
            model_name="webhookdelivery",
            index=models.Index(
                fields=["endpoint", "article_id", "event_id"], name="webhook_delivery_article"
            ),
        ),
        migrations.RunPython(from_frozen_payloads, migrations.RunPython.noop),
    ]
