import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from newsletter.tasks import newsletter_sweep_task
from outbox.models import Sweep
from outbox.services import sweep_complete

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: a real refused connection, not a mock.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_healthz_reports_every_service_ok(client):
    for sweep in settings.HEALTHZ_SWEEPS:
        sweep_complete(name=sweep, started_at=timezone.now())

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["cache"], body["broker"]) == ("ok", "ok", "ok")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_the_newsletter_sweep(client):
    for sweep in ("articles.publish_due", "outbox.process_due"):
        sweep_complete(name=sweep, started_at=timezone.now())
    assert not Sweep.objects.filter(name="newsletter.sweep").exists()

    newsletter_sweep_task()  # what beat runs every NEWSLETTER_SWEEP_SECONDS

    # Last: /healthz closes the test's database connection (it is inside the test transaction).
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["scheduler"] == "ok"
    assert 0 <= body["sweep_age_seconds"]["newsletter.sweep"] < 5


def test_healthz_fails_when_the_newsletter_sweep_stopped(client):
    for sweep in settings.HEALTHZ_SWEEPS:
        sweep_complete(name=sweep, started_at=timezone.now())
    Sweep.objects.filter(name="newsletter.sweep").update(
        completed_at=timezone.now() - timedelta(seconds=settings.SWEEP_STALE_AFTER_SECONDS + 1)
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["scheduler"] == "error"


def test_healthz_answers_503_quickly_when_redis_is_down(client):
    redis_down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    transport_options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    # override_settings (not the settings fixture) so the cache is back before teardown clears it.
    with override_settings(
        CACHES=redis_down,
        CELERY_BROKER_URL=UNREACHABLE_REDIS,
        CELERY_BROKER_TRANSPORT_OPTIONS=transport_options,
    ):
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    body = response.json()
    assert (body["database"], body["cache"], body["broker"]) == ("ok", "error", "error")
    assert elapsed < 2


def test_healthz_accepts_only_get(client):
    assert client.post("/healthz").status_code == 405
