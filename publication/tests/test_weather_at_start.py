"""The temperature as a newcomer's site starts: a real worker fetches it from a local stand-in
for the weather service as soon as it is ready, and the top bar shows it without waiting for a
regular refresh."""

import pytest
from django.test import Client

from conftest import wait_until
from edgecache.tests.fakes import FakeServer
from publication.models import WeatherStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.worker,
    pytest.mark.slow,
    pytest.mark.redis,
]

READING = {"current_units": {"temperature_2m": "°C"}, "current": {"temperature_2m": 3.5}}


def test_a_worker_fetches_the_temperature_as_it_starts(start_worker, empty_queues, redis_required):
    weather = FakeServer(answer=lambda request: (200, {}, READING)).start()
    try:
        assert "topbar__temp" not in Client().get("/_fragments/topbar/").content.decode()

        start_worker(WEATHER_API_URL=f"{weather.url}/v1/forecast")

        wait_until(lambda: WeatherStatus.objects.filter(temperature=3.5).exists(), timeout=30)
        assert weather.requests[0].path.startswith("/v1/forecast?latitude=52.5200")
        # The new reading purges the top bar the pages include.
        wait_until(
            lambda: "3.5 °C" in Client().get("/_fragments/topbar/").content.decode(), timeout=30
        )
    finally:
        weather.stop()
