from django.apps import AppConfig


class PublicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publication"
    verbose_name = "Publication"

    def ready(self) -> None:
        from . import (
            handlers,  # noqa: F401 - registers the outbox handlers
            purges,
        )

        purges.connect()
