"""Reads of the publication app: site settings, ads in force, the current temperature."""

import contextlib
import time

from django.conf import settings
from django.core.cache import cache

from .models import AdSlot, SiteSettings, WeatherStatus
from .services import WEATHER_CACHE_KEY


def site_settings_get() -> SiteSettings:
    return SiteSettings.current()


def ad_slot_list_live(now=None) -> list[AdSlot]:
    """Ads switched on and not yet over; which of them show is decided at render time."""
    return list(AdSlot.objects.live(now))


def weather_reading_is_fresh(
    reading: dict | None, *, latitude: float, longitude: float, now: float | None = None
) -> bool:
    """Show a reading only if it is for this place and younger than WEATHER_MAX_AGE."""
    if not reading:
        return False
    now = time.time() if now is None else now
    same_place = reading.get("latitude") == latitude and reading.get("longitude") == longitude
    return same_place and now - reading.get("fetched_at", 0) <= settings.WEATHER_MAX_AGE


def weather_reading_last() -> dict | None:
    """The last reading: from the cache, else from the database (after a cache flush or a
    Redis outage), put back in the cache for the next page."""
    reading = None
    with contextlib.suppress(Exception):  # a cache outage must not break a page
        reading = cache.get(WEATHER_CACHE_KEY)
    if reading is not None:
        return reading
    status = WeatherStatus.objects.filter(pk=WeatherStatus.SINGLETON_PK).first()
    reading = status.reading() if status else None
    if reading is not None:
        with contextlib.suppress(Exception):
            cache.set(WEATHER_CACHE_KEY, reading, timeout=settings.WEATHER_MAX_AGE + 3600)
    return reading


def weather_get_current(site: SiteSettings, reading: dict | None = None, now: float | None = None):
    """The cached reading if it is for the site's city and fresh enough to show, else None."""
    if reading is None:
        reading = weather_reading_last()
    fresh = weather_reading_is_fresh(
        reading, latitude=site.weather_latitude, longitude=site.weather_longitude, now=now
    )
    return reading if fresh else None
