import time

import pytest
import responses
from django.conf import settings
from django.core.cache import cache

from publication.models import SiteSettings, WeatherStatus
from publication.selectors import weather_get_current
from publication.services import WEATHER_CACHE_KEY, weather_refresh
from publication.tasks import weather_refresh_task

pytestmark = pytest.mark.django_db


def _open_meteo(temperature=0.4, status=200):
    responses.add(
        responses.GET,
        settings.WEATHER_API_URL,
        json={
            "current_units": {"temperature_2m": "°C"},
            "current": {"time": "2025-03-20T10:00", "temperature_2m": temperature},
        }
        if status == 200
        else {"error": True, "reason": "down"},
        status=status,
    )


@responses.activate
def test_refresh_asks_open_meteo_for_the_site_coordinates_and_caches_the_reading():
    SiteSettings.objects.create(
        weather_city="Reykjavík", weather_latitude=64.1466, weather_longitude=-21.9426
    )
    _open_meteo(-3.25)

    reading = weather_refresh()

    request = responses.calls[0].request
    assert "latitude=64.1466" in request.url and "longitude=-21.9426" in request.url
    assert "current=temperature_2m" in request.url
    assert reading["temperature"] == -3.2 or reading["temperature"] == -3.3
    assert reading["city"] == "Reykjavík"
    assert cache.get(WEATHER_CACHE_KEY) == reading
    assert weather_get_current(SiteSettings.current()) == reading


@responses.activate
def test_a_failed_refresh_keeps_the_previous_reading_and_never_raises():
    _open_meteo(5.0)
    first = weather_refresh()
    responses.reset()
    _open_meteo(status=503)

    assert weather_refresh() is None
    assert cache.get(WEATHER_CACHE_KEY) == first


@responses.activate
@pytest.mark.parametrize(
    "payload",
    [
        {"current": {}},
        {"current": {"temperature_2m": "hot"}},
        {"current": {"temperature_2m": 900}},
        [],
    ],
)
def test_malformed_answers_are_ignored(payload):
    responses.add(responses.GET, settings.WEATHER_API_URL, json=payload)
    assert weather_refresh() is None
    assert cache.get(WEATHER_CACHE_KEY) is None


@responses.activate
def test_the_task_refreshes_and_is_safe_to_run_twice():
    _open_meteo(1.0)
    _open_meteo(1.5)
    weather_refresh_task()
    weather_refresh_task()
    assert cache.get(WEATHER_CACHE_KEY)["temperature"] == 1.5


def test_stale_and_foreign_readings_are_not_shown():
    site = SiteSettings.current()
    fresh = {
        "latitude": site.weather_latitude,
        "longitude": site.weather_longitude,
        "temperature": 2.0,
        "fetched_at": time.time() - 60,
    }
    assert weather_get_current(site, reading=fresh) == fresh
    stale = {**fresh, "fetched_at": time.time() - settings.WEATHER_MAX_AGE - 1}
    assert weather_get_current(site, reading=stale) is None
    elsewhere = {**fresh, "latitude": 0.0}
    assert weather_get_current(site, reading=elsewhere) is None
    assert weather_get_current(site, reading=None) is None


def test_the_refresh_runs_every_30_minutes_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["publication-weather-refresh"]
    assert entry["task"] == weather_refresh_task.name
    assert entry["schedule"] == 30 * 60


@responses.activate
def test_each_attempt_is_recorded_and_a_failure_keeps_the_last_reading():
    _open_meteo(5.0)
    weather_refresh()
    responses.reset()
    _open_meteo(status=503)

    weather_refresh()

    status = WeatherStatus.objects.get()
    assert status.temperature == 5.0 and status.fetched_at is not None
    assert "503" in status.error and status.error_at >= status.fetched_at
    assert weather_get_current(SiteSettings.current())["temperature"] == 5.0


@responses.activate
def test_the_last_reading_survives_a_cache_flush():
    _open_meteo(7.5)
    weather_refresh()
    cache.clear()

    reading = weather_get_current(SiteSettings.current())

    assert reading["temperature"] == 7.5
    assert cache.get(WEATHER_CACHE_KEY) == reading  # back in the cache for the next page


@responses.activate
def test_beat_fetches_the_weather_when_it_starts():
    from celery.signals import beat_init

    from newsroom.celery import app

    _open_meteo(2.0)
    app.conf.task_always_eager = True
    try:
        beat_init.send(sender=None)
    finally:
        app.conf.task_always_eager = False

    assert WeatherStatus.objects.get().temperature == 2.0


@responses.activate
def test_staff_see_the_last_success_and_the_last_error_in_the_admin(admin_client):
    _open_meteo(3.0)
    weather_refresh()
    responses.reset()
    _open_meteo(status=503)
    weather_refresh()

    page = admin_client.get(
        f"/admin/publication/sitesettings/{SiteSettings.load().pk}/change/"
    ).content.decode()

    assert "Last success: 3.0 °C in Berlin" in page
    assert "Last error: weather service answered badly" in page
