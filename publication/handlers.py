"""Outbox handlers of the publication app (run by a worker after commit; safe to run twice)."""

from outbox.handlers import register

from .services import WEATHER_REFRESH_TOPIC, weather_refresh


@register(WEATHER_REFRESH_TOPIC)
def weather_refresh_handle(event) -> None:
    weather_refresh()
