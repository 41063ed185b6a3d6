"""/healthz for load balancers (this process and its database) and /healthz/full for alerting
(every service and the scheduler's sweeps)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from newsletter.tasks import newsletter_sweep_task
from outbox.models import Sweep
from outbox.services import sweep_complete

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: a real refused connection, not a mock.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def sweep_all() -> None:
    for sweep in settings.HEALTHZ_SWEEPS:
        sweep_complete(name=sweep, started_at=timezone.now())


@pytest.fixture
def redis_and_broker_down():
    redis_down = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    transport_options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    # override_settings (not the settings fixture) so the cache is back before teardown clears it.
    with override_settings(
        CACHES={**settings.CACHES, **redis_down},
        CELERY_BROKER_URL=UNREACHABLE_REDIS,
        CELERY_BROKER_TRANSPORT_OPTIONS=transport_options,
    ):
        yield


def assert_never_stored(response) -> None:
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert not response.has_header("xkey")


# -- /healthz: load balancers -----------------------------------------------------------------
def test_healthz_is_ok_when_every_service_answers(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "down": [],
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
    }
    assert_never_stored(response)


def test_healthz_keeps_a_web_host_in_while_the_scheduler_has_not_swept(client):
    assert not Sweep.objects.exists()  # a fresh start, or beat is down

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_is_degraded_but_200_while_redis_and_the_broker_are_down(
    client, redis_and_broker_down
):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["down"] == ["cache", "broker"]
    assert (body["database"], body["cache"], body["broker"]) == ("ok", "error", "error")


@pytest.fixture
def database_unreachable(transactional_db):
    """This thread's database connection points at a closed port until the test ends."""
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    yield
    connection.close()
    connection.settings_dict["PORT"] = saved


@pytest.mark.usefixtures("postgres_required")
def test_healthz_is_503_when_the_database_does_not_answer(client, database_unreachable):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["down"] == ["database"]
    assert body["cache"] == "ok"


@pytest.mark.parametrize("url", ["/healthz", "/healthz/full"])
def test_health_endpoints_accept_only_get(client, url):
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("url", ["/healthz", "/healthz/full"])
def test_health_endpoints_are_exempt_from_the_https_redirect(client, settings, url):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301  # the site itself is redirected

    assert client.get(url).status_code in (200, 503)


# -- /healthz/full: alerting ------------------------------------------------------------------
def test_full_health_is_ok_with_every_service_and_fresh_sweeps(
    client, django_assert_max_num_queries
):
    sweep_all()

    with django_assert_max_num_queries(1):
        response = client.get("/healthz/full")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["reasons"] == []
    assert (body["database"], body["cache"], body["broker"], body["scheduler"]) == ("ok",) * 4
    assert set(body["sweep_age_seconds"]) == set(settings.HEALTHZ_SWEEPS)
    assert_never_stored(response)


def test_full_health_is_503_before_the_first_sweeps_with_each_reason(client):
    response = client.get("/healthz/full")

    assert response.status_code == 503
    body = response.json()
    assert body["scheduler"] == "error"
    assert body["sweep_age_seconds"] == dict.fromkeys(settings.HEALTHZ_SWEEPS)
    assert body["reasons"] == [
        f"sweep {name} has not completed since the database was created"
        for name in settings.HEALTHZ_SWEEPS
    ]


def test_full_health_names_a_stale_sweep(client):
    sweep_all()
    Sweep.objects.filter(name="newsletter.sweep").update(
        completed_at=timezone.now() - timedelta(seconds=settings.SWEEP_STALE_AFTER_SECONDS + 15)
    )

    response = client.get("/healthz/full")

    assert response.status_code == 503
    assert response.json()["reasons"] == [
        "sweep newsletter.sweep last completed 75 s ago (limit 60 s)"
    ]


def test_full_health_reports_the_newsletter_sweep(client):
    for sweep in ("articles.publish_due", "outbox.process_due"):
        sweep_complete(name=sweep, started_at=timezone.now())

    newsletter_sweep_task()  # what beat runs every NEWSLETTER_SWEEP_SECONDS

    response = client.get("/healthz/full")
    assert response.status_code == 200
    assert 0 <= response.json()["sweep_age_seconds"]["newsletter.sweep"] < 5


def test_full_health_is_503_naming_redis_and_the_broker_when_they_are_down(
    client, redis_and_broker_down
):
    sweep_all()

    response = client.get("/healthz/full")

    assert response.status_code == 503
    body = response.json()
    assert body["reasons"] == ["cache is not answering", "broker is not answering"]
    assert body["scheduler"] == "ok"


@pytest.mark.usefixtures("postgres_required")
def test_full_health_is_503_when_the_database_does_not_answer(client, database_unreachable):
    response = client.get("/healthz/full")

    assert response.status_code == 503
    body = response.json()
    assert body["reasons"] == ["database is not answering"]
    assert body["scheduler"] == "unknown"


def test_health_is_never_served_from_the_origin_cache(client, settings):
    settings.EDGECACHE_ORIGIN_CACHE = True
    assert client.get("/healthz/full").status_code == 503

    sweep_all()

    assert client.get("/healthz/full").status_code == 200
