import pytest

from edgecache.services import TOPIC
from newsletter.tests.factories import ListFactory
from outbox.models import Event

pytestmark = pytest.mark.django_db


def test_a_changed_list_purges_the_sign_up_block():
    newsletter = ListFactory()
    newsletter.name = "Morning briefing"
    newsletter.save()
    newsletter.delete()
    keys = [e.payload["keys"] for e in Event.objects.filter(topic=TOPIC).order_by("pk")]
    assert keys == [["newsletter-lists"]] * 3
