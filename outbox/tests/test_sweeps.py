"""The "last sweep completed" record, /healthz/full reading it, and the one-minute cap on task
delays."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from newsroom.celery import TaskDelayTooLong, check_task_delay
from outbox.models import Sweep
from outbox.selectors import sweep_ages
from outbox.services import sweep_complete
from outbox.tasks import event_process_due_task, event_process_task

pytestmark = pytest.mark.django_db

SWEEPS = ["articles.publish_due", "outbox.process_due"]


def record_sweeps(age: timedelta) -> None:
    for name in settings.HEALTHZ_SWEEPS:
        Sweep.objects.update_or_create(
            name=name,
            defaults={"completed_at": timezone.now() - age, "duration": timedelta(milliseconds=3)},
        )


def test_completing_a_sweep_records_when_how_long_and_how_much():
    started_at = timezone.now() - timedelta(seconds=2)

    sweep_complete(name="articles.publish_due", started_at=started_at, handled=3)
    sweep_complete(name="articles.publish_due", started_at=started_at, handled=1)

    sweep = Sweep.objects.get(name="articles.publish_due")
    assert sweep.handled == 1
    assert sweep.duration >= timedelta(seconds=2)
    assert timezone.now() - sweep.completed_at < timedelta(seconds=5)


def test_sweep_ages_are_none_for_a_sweep_that_never_ran():
    now = timezone.now()
    Sweep.objects.create(
        name="outbox.process_due", completed_at=now - timedelta(seconds=12), duration=timedelta()
    )

    assert sweep_ages(names=SWEEPS, now=now) == {
        "articles.publish_due": None,
        "outbox.process_due": 12.0,
    }


def test_the_outbox_sweep_task_records_its_completion():
    assert event_process_due_task() == 0

    assert Sweep.objects.filter(name="outbox.process_due").exists()


def test_full_health_reports_fresh_sweeps_as_ok(client):
    record_sweeps(age=timedelta(seconds=3))

    response = client.get("/healthz/full")

    assert response.status_code == 200
    body = response.json()
    assert body["scheduler"] == "ok"
    assert set(body["sweep_age_seconds"]) == set(settings.HEALTHZ_SWEEPS)
    assert all(3 <= age < 10 for age in body["sweep_age_seconds"].values())


def test_full_health_fails_when_the_last_sweep_is_older_than_a_minute(client):
    record_sweeps(age=timedelta(seconds=3))
    Sweep.objects.filter(name="articles.publish_due").update(
        completed_at=timezone.now() - timedelta(seconds=61)
    )

    response = client.get("/healthz/full")

    assert response.status_code == 503
    body = response.json()
    assert body["scheduler"] == "error"
    assert body["sweep_age_seconds"]["articles.publish_due"] >= 61


def test_full_health_fails_before_the_first_sweep_ever_completed(client):
    response = client.get("/healthz/full")

    assert response.status_code == 503
    assert response.json()["scheduler"] == "error"
    assert response.json()["sweep_age_seconds"] == dict.fromkeys(settings.HEALTHZ_SWEEPS)


def test_full_health_staleness_limit_is_a_setting(client, settings):
    settings.SWEEP_STALE_AFTER_SECONDS = 300
    record_sweeps(age=timedelta(seconds=200))

    assert client.get("/healthz/full").json()["scheduler"] == "ok"


def test_a_countdown_beyond_a_minute_is_refused_before_anything_is_sent():
    with pytest.raises(TaskDelayTooLong, match="at most 60 s"):
        event_process_task.apply_async((1,), countdown=3600)


def test_an_eta_beyond_a_minute_is_refused_in_any_form():
    later = datetime.now(UTC) + timedelta(minutes=5)

    for eta in (later, later.isoformat(), later.replace(tzinfo=None)):
        with pytest.raises(TaskDelayTooLong):
            check_task_delay("outbox.process_event", {"eta": eta})


def test_delays_up_to_a_minute_are_allowed():
    check_task_delay("t", {"countdown": 60})
    check_task_delay("t", {"eta": datetime.now(UTC) + timedelta(seconds=30)})
    check_task_delay("t", {"eta": datetime.now(UTC) - timedelta(seconds=30)})
    check_task_delay("t", {})
