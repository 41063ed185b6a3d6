from celery import shared_task


@shared_task(name="publication.tasks.weather_refresh_task")
def weather_refresh_task() -> None:
    """Beat, every 30 minutes: refresh the top bar's temperature. Safe to run twice."""
    from .services import weather_refresh

    weather_refresh()
