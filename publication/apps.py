from django.apps import AppConfig


class PublicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publication"
    verbose_name = "Publication"

    def ready(self):
        from . import handlers  # noqa: F401 - registers the outbox handlers
