"""Writes of the publication app: the weather reading and ad HTML hygiene."""

import logging
import math

import nh3
import requests
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from outbox.services import event_record

from . import purges
from .models import SiteSettings, WeatherStatus

logger = logging.getLogger(__name__)

WEATHER_CACHE_KEY = "publication:weather"
# The outbox topic of a refresh asked for by a change of the newsroom's city.
WEATHER_REFRESH_TOPIC = "publication.weather_refresh"

# What an ad snippet may contain: markup for an image with a link, nothing that runs.
AD_TAGS = {
    "a", "b", "br", "div", "em", "figcaption", "figure", "i", "img", "p", "picture",
    "small", "source", "span", "strong",
}  # fmt: skip
AD_ATTRIBUTES = {
    "a": {"href", "title", "target"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading"},
    "source": {"srcset", "type", "media", "sizes"},
    "*": {"class"},
}


class WeatherError(Exception):
    pass


def ad_html_sanitize(*, html: str) -> str:
    """An ad snippet reduced to inert markup: no script, no handlers, no javascript: URLs."""
    return nh3.clean(
        html,
        tags=AD_TAGS,
        attributes=AD_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="sponsored noopener noreferrer",
    ).strip()


def weather_fetch(*, latitude: float, longitude: float) -> tuple[float, str]:
    """The current temperature at a place from Open-Meteo, as (value, unit)."""
    try:
        response = requests.get(
            settings.WEATHER_API_URL,
            params={
                "latitude": f"{latitude:.4f}",
                "longitude": f"{longitude:.4f}",
                "current": "temperature_2m",
                "timezone": "UTC",
            },
            timeout=10,
        )
        response.raise_for_status()
        data = response.json()
        value = float(data["current"]["temperature_2m"])
        unit = str(data.get("current_units", {}).get("temperature_2m", "°C"))[:8]
    except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
        raise WeatherError(f"weather service answered badly: {exc}") from exc
    if not math.isfinite(value) or not -100 < value < 100:
        raise WeatherError(f"implausible temperature {value!r}")
    return value, unit


def weather_refresh_request() -> None:
    """Fetch the temperature again soon (the city changed), through the outbox: a worker does
    it after commit, and a broker outage only delays it."""
    event_record(topic=WEATHER_REFRESH_TOPIC, payload={})


def weather_refresh_if_due(*, now=None) -> dict | None:
    """Fetch the temperature when it is due (``WeatherStatus.next_attempt_at``): at once
    before the first reading, every WEATHER_REFRESH_SECONDS after a success, and soon again
    after a failure. Beat asks every minute and at its start, each worker at its start; any
    number of calls fetch once."""
    status = WeatherStatus.objects.filter(pk=WeatherStatus.SINGLETON_PK).first()
    due_at = status.next_attempt_at() if status else None
    if due_at is not None and due_at > (now or timezone.now()):
        return None
    return weather_refresh()


def weather_refresh() -> dict | None:
    """Fetch the temperature for the newsroom's city; record it (database and cache) with its
    time, or record the error.

    On failure the previous reading is kept and shown with its time until it is older than
    WEATHER_MAX_AGE; the admin shows the last success, the last error and the next attempt.
    """
    site = SiteSettings.current()
    now = timezone.now()
    status, _ = WeatherStatus.objects.get_or_create(pk=WeatherStatus.SINGLETON_PK)
    status.attempted_at = now
    try:
        value, unit = weather_fetch(
            latitude=site.weather_latitude, longitude=site.weather_longitude
        )
    except WeatherError as exc:
        logger.warning("weather refresh failed", extra={"error": str(exc)})
        status.error, status.error_at = str(exc)[:500], now
        status.failures += 1
        status.save(update_fields=["attempted_at", "error", "error_at", "failures"])
        return None
    status.city, status.latitude, status.longitude = (
        site.weather_city,
        site.weather_latitude,
        site.weather_longitude,
    )
    status.temperature, status.unit, status.fetched_at = round(value, 1), unit, now
    status.failures = 0
    reading = status.reading()
    with transaction.atomic():
        status.save()
        cache.set(WEATHER_CACHE_KEY, reading, timeout=settings.WEATHER_MAX_AGE + 3600)
        purges.weather_stored()
    return reading
