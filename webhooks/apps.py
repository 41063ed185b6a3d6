from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"

    def ready(self) -> None:
        from outbox.handlers import register

        from .models import TOPICS
        from .services import deliveries_create_for_event

        for topic, _label in TOPICS:
            register(topic)(deliveries_create_for_event)
