"""Writes of the publication app: the weather reading and ad HTML hygiene."""

import logging
import math
import time

import nh3
import requests
from django.conf import settings
from django.core.cache import cache

from .models import SiteSettings

logger = logging.getLogger(__name__)

WEATHER_CACHE_KEY = "publication:weather"

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


def weather_refresh() -> dict | None:
    """Fetch the temperature for the newsroom's city and cache it with a timestamp.

    On failure the previous reading is kept; readers stop seeing it once it is older than
    WEATHER_MAX_AGE, so an outage hides the widget instead of showing an error.
    """
    site = SiteSettings.current()
    try:
        value, unit = weather_fetch(
            latitude=site.weather_latitude, longitude=site.weather_longitude
        )
    except WeatherError as exc:
        logger.warning("weather refresh failed", extra={"error": str(exc)})
        return None
    reading = {
        "city": site.weather_city,
        "latitude": site.weather_latitude,
        "longitude": site.weather_longitude,
        "temperature": round(value, 1),
        "unit": unit,
        "fetched_at": time.time(),
    }
    cache.set(WEATHER_CACHE_KEY, reading, timeout=settings.WEATHER_MAX_AGE + 3600)
    return reading
