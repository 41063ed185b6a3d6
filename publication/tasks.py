from celery import shared_task
from celery.signals import beat_init, worker_ready


@shared_task(name="publication.tasks.weather_refresh_task")
def weather_refresh_task() -> None:
    """Beat, every minute: refresh the top bar's temperature when it is due (at start, every
    WEATHER_REFRESH_SECONDS, sooner after a failure). Safe to run twice."""
    from .services import weather_refresh_if_due

    weather_refresh_if_due()


@beat_init.connect
def weather_refresh_at_start(**kwargs) -> None:
    """Fetch the temperature when beat starts, not a minute later at its first tick."""
    weather_refresh_task.delay()


@worker_ready.connect
def weather_refresh_when_a_worker_starts(**kwargs) -> None:
    """And when a worker starts: a site started before beat, or without it, gets its
    temperature as soon as something can fetch it (never in a reader's request)."""
    weather_refresh_task.delay()
