"""The demo newsletter readers: confirmed on both lists at once, unchanged by a second run."""

from io import StringIO

import pytest
from django.core.management import call_command

from newsletter.models import Subscriber, Subscription
from newsletter.services import CONFIRMATION_TOPIC
from outbox.models import Event

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_newsletter_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "subscribers": sorted(
            Subscriber.objects.values_list("email", "consent_source", "confirmed_at")
        ),
        "subscriptions": sorted(
            Subscription.objects.values_list(
                "subscriber__email", "list__slug", "status", "confirmed_at"
            )
        ),
        "events": Event.objects.count(),
    }


def test_seed_adds_five_readers_confirmed_on_both_newsletters():
    seed()
    readers = Subscriber.objects.filter(consent_source="demo")
    assert readers.count() == 5
    assert all(r.email.endswith("@example.org") and r.confirmed_at for r in readers)
    lists = Subscription.objects.filter(
        subscriber__in=readers, status=Subscription.Status.CONFIRMED
    ).values_list("list__name", flat=True)
    assert sorted(lists) == ["Breaking news"] * 5 + ["Daily digest"] * 5


def test_seed_asks_for_no_confirmation_email():
    seed()
    assert Subscriber.objects.count() == 5
    assert not Event.objects.filter(topic=CONFIRMATION_TOPIC).exists()


def test_second_run_adds_nothing():
    seed()
    before = snapshot()
    output = seed()
    assert snapshot() == before
    assert len(before["subscriptions"]) == 10
    assert "nothing changed" in output
