from celery import shared_task
from celery.signals import beat_init


@shared_task(name="publication.tasks.weather_refresh_task")
def weather_refresh_task() -> None:
    """Beat, every 30 minutes: refresh the top bar's temperature. Safe to run twice."""
    from .services import weather_refresh

    weather_refresh()


@beat_init.connect
def weather_refresh_at_start(**kwargs) -> None:
    """Fetch the temperature when beat starts, not only at its first 30-minute tick."""
    weather_refresh_task.delay()
