import time

import pytest
import responses
from django.conf import settings
from django.core.cache import cache

from publication.models import SiteSettings
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
