import time
from datetime import timedelta

import pytest
import responses
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from publication.models import SiteSettings, WeatherStatus
from publication.selectors import weather_get_current
from publication.services import WEATHER_CACHE_KEY, weather_refresh, weather_refresh_if_due
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
def test_the_task_fetches_when_due_and_is_safe_to_run_twice():
    _open_meteo(1.0)
    _open_meteo(1.5)
    weather_refresh_task()
    weather_refresh_task()
    assert cache.get(WEATHER_CACHE_KEY)["temperature"] == 1.0
    assert len(responses.calls) == 1


@responses.activate
def test_a_failed_fetch_is_tried_again_within_minutes_then_less_and_less_often():
    _open_meteo(status=503)
    start = timezone.now()

    def due(after: float) -> bool:
        calls = len(responses.calls)
        weather_refresh_if_due(now=timezone.now() + timedelta(seconds=after))
        return len(responses.calls) > calls

    assert due(0)  # nothing fetched yet: due at once
    assert not due(50) and due(61)  # one failure: a minute later
    assert not due(110) and due(121)  # two: two minutes
    assert not due(230) and due(241)  # three: four minutes
    assert WeatherStatus.objects.get().failures == 4
    responses.reset()
    _open_meteo(6.5)
    assert not due(470) and due(481)  # four: eight minutes
    status = WeatherStatus.objects.get()
    assert status.failures == 0 and status.temperature == 6.5 and status.fetched_at >= start
    # Back to the regular interval after a success.
    refresh = settings.WEATHER_REFRESH_SECONDS
    assert not due(refresh - 10) and due(refresh + 1)


def test_the_backoff_never_waits_longer_than_the_regular_interval(settings):
    settings.WEATHER_REFRESH_SECONDS = 600
    now = timezone.now()
    status = WeatherStatus(attempted_at=now, failures=30)
    assert status.next_attempt_at() == now + timedelta(seconds=600)
    assert WeatherStatus().next_attempt_at() is None


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


def test_beat_asks_every_minute_and_the_reading_is_renewed_every_30_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["publication-weather-refresh"]
    assert entry["task"] == weather_refresh_task.name
    assert entry["schedule"] == 60
    assert settings.WEATHER_REFRESH_SECONDS == 30 * 60


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
    assert "(1 failed attempt in a row)" in page
    assert "Next attempt:" in page


def test_the_admin_says_when_nothing_was_fetched_yet(admin_client):
    page = admin_client.get(
        f"/admin/publication/sitesettings/{SiteSettings.load().pk}/change/"
    ).content.decode()
    assert "Not fetched yet: it is fetched when beat or a worker starts." in page


@responses.activate
def test_the_top_bar_shows_the_last_reading_with_its_time_and_never_fetches_one():
    site = SiteSettings.current()
    measured = timezone.now() - timedelta(hours=2)
    WeatherStatus.objects.create(
        city=site.weather_city,
        latitude=site.weather_latitude,
        longitude=site.weather_longitude,
        temperature=-1.5,
        unit="°C",
        fetched_at=measured,
        attempted_at=timezone.now(),
        error="weather service answered badly: 503",
        error_at=timezone.now(),
        failures=4,
    )

    html = Client().get("/_fragments/topbar/").content.decode()

    assert '<span class="topbar__temp">-1.5 °C</span>' in html
    local = timezone.localtime(measured)
    stamp = local.replace(microsecond=0).isoformat()
    assert f'at <time datetime="{stamp}">' in html
    assert date_format(local, "TIME_FORMAT") in html
    assert not responses.calls  # a reader's request never waits for the weather service
    WeatherStatus.objects.update(fetched_at=timezone.now() - timedelta(hours=4))
    cache.clear()
    assert "topbar__temp" not in Client().get("/_fragments/topbar/?stale").content.decode()
