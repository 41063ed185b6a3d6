"""Reads of the publication app: site settings, ads in force, the current temperature."""

import time

from django.conf import settings
from django.core.cache import cache

from .models import AdSlot, SiteSettings
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


def weather_get_current(site: SiteSettings, reading: dict | None = None, now: float | None = None):
    """The cached reading if it is for the site's city and fresh enough to show, else None."""
    if reading is None:
        reading = cache.get(WEATHER_CACHE_KEY)
    fresh = weather_reading_is_fresh(
        reading, latitude=site.weather_latitude, longitude=site.weather_longitude, now=now
    )
    return reading if fresh else None
