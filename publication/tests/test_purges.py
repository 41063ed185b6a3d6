"""Changes to what every page shows purge their own block's key, never every article."""

import pytest
import responses
from django.conf import settings

from edgecache.services import TOPIC
from outbox.models import Event
from publication.models import AdSlot, SiteSettings
from publication.services import weather_refresh

pytestmark = pytest.mark.django_db


def purged() -> list[list[str]]:
    return [e.payload["keys"] for e in Event.objects.filter(topic=TOPIC).order_by("pk")]


def test_ads_purge_the_ads_block():
    slot = AdSlot.objects.create(name="a", placement="article", html="<p>a</p>")
    slot.is_enabled = False
    slot.save()
    slot.delete()
    assert purged() == [["ads"]] * 3


def test_site_settings_purge_every_page_that_shows_them():
    site = SiteSettings.load()
    Event.objects.all().delete()
    site.tagline = "News from the harbour"
    site.save()
    assert purged() == [["site"]]


@responses.activate
def test_a_stored_weather_reading_purges_the_weather_block_and_a_failure_does_not():
    SiteSettings.load()
    Event.objects.all().delete()
    responses.add(
        responses.GET,
        settings.WEATHER_API_URL,
        json={"current_units": {"temperature_2m": "°C"}, "current": {"temperature_2m": 4.0}},
    )
    responses.add(responses.GET, settings.WEATHER_API_URL, status=503)
    assert weather_refresh() is not None
    assert weather_refresh() is None
    assert purged() == [["weather"]]
