from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "newsletter"
    verbose_name = "Newsletter"

    def ready(self) -> None:
        from . import checks, handlers, signals, webhooks  # noqa: F401 - registers checks, handlers

        signals.connect()
        webhooks.connect()
