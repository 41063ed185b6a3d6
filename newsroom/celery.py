"""
The Celery app. Configuration lives in settings.py under the CELERY_ namespace.

Tasks are wake-ups, not the source of truth: they ack late (a task lost with its worker runs
again), so every task must be safe to run twice. The broker's visibility_timeout is set in
settings (CELERY_BROKER_TRANSPORT_OPTIONS) and explained there.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="newsroom.ping")
def ping(token: str) -> None:
    """Record that a worker ran; used by the worker health test and operators' smoke checks."""
    from django.core.cache import cache

    cache.set(f"celery-ping:{token}", "pong", timeout=300)
