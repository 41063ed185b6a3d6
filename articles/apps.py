from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self) -> None:
        from . import handlers
        from . import image_tasks as _image_tasks  # noqa: F401 - registers an outbox handler

        handlers.connect()
