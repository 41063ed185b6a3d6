import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from authors.tests.factories import UserFactory
from outbox.models import Event, Sweep
from outbox.services import (
    Outcome,
    _claim,
    event_process,
    event_process_due,
    event_prune,
    event_record,
    event_retry,
    retry_delay,
)
from outbox.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_recorded_event_wakes_a_worker_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        event = event_record(topic="test.recorded", payload={"article_id": 7})
        assert callbacks == []

    assert len(callbacks) == 1
    event.refresh_from_db()
    assert (event.topic, event.payload, event.state) == (
        "test.recorded",
        {"article_id": 7},
        "pending",
    )


def test_rolled_back_change_leaves_no_event_and_no_wake_up(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        event_record(topic="test.recorded", payload={})
        raise RuntimeError("the change failed")

    assert not Event.objects.exists()
    assert callbacks == []


def test_processing_runs_every_handler_of_the_topic_and_marks_the_event(on_topic):
    seen = []
    on_topic("test.recorded", lambda event: seen.append(("first", event.pk)))
    on_topic("test.recorded", lambda event: seen.append(("second", event.pk)))
    on_topic("test.other", lambda event: seen.append(("other", event.pk)))
    event = EventFactory()

    assert event_process(event_id=event.pk) == Outcome.PROCESSED

    assert seen == [("first", event.pk), ("second", event.pk)]
    event.refresh_from_db()
    assert event.processed_at is not None
    assert (event.attempts, event.last_error, event.state) == (1, "", "processed")


def test_processing_an_event_twice_runs_its_handlers_once(on_topic):
    seen = []
    on_topic("test.recorded", lambda event: seen.append(event.pk))
    event = EventFactory()

    first = event_process(event_id=event.pk)
    second = event_process(event_id=event.pk)

    assert (first, second) == (Outcome.PROCESSED, Outcome.SKIPPED)
    assert seen == [event.pk]


def test_an_event_without_handlers_is_marked_processed():
    event = EventFactory(topic="nobody.listens")

    assert event_process(event_id=event.pk) == Outcome.PROCESSED


def test_a_missing_event_is_skipped():
    assert event_process(event_id=987654) == Outcome.SKIPPED


def test_an_event_not_yet_available_is_left_for_later(on_topic):
    seen = []
    on_topic("test.recorded", seen.append)
    event = EventFactory(later=True)

    assert event_process(event_id=event.pk) == Outcome.SKIPPED
    assert seen == []
    assert Event.objects.get(pk=event.pk).attempts == 0


def test_a_failing_handler_rolls_back_all_handler_writes_and_schedules_a_retry(on_topic):
    def writes_then_fails(event):
        Sweep.objects.create(
            name="written-by-handler", completed_at=timezone.now(), duration=timedelta()
        )
        raise ValueError("receiver said no")

    on_topic("test.recorded", writes_then_fails)
    event = EventFactory()
    before = timezone.now()

    assert event_process(event_id=event.pk) == Outcome.RETRYING

    event.refresh_from_db()
    assert event.state == "retrying"
    assert event.attempts == 1
    assert "ValueError: receiver said no" in event.last_error
    assert event.available_at >= before + timedelta(seconds=5)
    assert event.processed_at is None and event.failed_at is None
    assert not Sweep.objects.filter(name="written-by-handler").exists()


def test_retry_delay_doubles_from_the_base_up_to_the_maximum(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 5
    settings.OUTBOX_RETRY_MAX_SECONDS = 60

    assert 5 <= retry_delay(1).total_seconds() <= 6
    assert 20 <= retry_delay(3).total_seconds() <= 24
    assert 60 <= retry_delay(10).total_seconds() <= 72


def test_a_poison_event_is_failed_after_the_last_attempt(on_topic, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    calls = []

    def always_fails(event):
        calls.append(event.pk)
        raise RuntimeError("still broken")

    on_topic("test.recorded", always_fails)
    event = EventFactory()
    outcomes = []
    for _ in range(4):
        Event.objects.filter(pk=event.pk).update(available_at=timezone.now())
        outcomes.append(event_process(event_id=event.pk))

    assert outcomes == [Outcome.RETRYING, Outcome.RETRYING, Outcome.FAILED, Outcome.SKIPPED]
    assert len(calls) == 3
    event.refresh_from_db()
    assert event.state == "failed"
    assert event.failed_at is not None
    assert "RuntimeError: still broken" in event.last_error
    assert Event.objects.pending().filter(pk=event.pk).count() == 0


def test_an_attempt_whose_worker_died_counts_and_is_retried_after_the_backoff(on_topic):
    seen = []
    on_topic("test.recorded", seen.append)
    event = EventFactory()

    # The claim commits before any handler runs; a worker killed right after leaves this state.
    _claim(event.pk, timezone.now())

    event.refresh_from_db()
    assert event.attempts == 1
    assert "did not finish" in event.last_error
    assert event.available_at > timezone.now()
    assert event_process(event_id=event.pk) == Outcome.SKIPPED

    Event.objects.filter(pk=event.pk).update(available_at=timezone.now())
    assert event_process(event_id=event.pk) == Outcome.PROCESSED
    assert len(seen) == 1
    event.refresh_from_db()
    assert (event.attempts, event.last_error) == (2, "")


def test_an_event_that_keeps_killing_its_worker_is_failed_without_running_again(on_topic, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    seen = []
    on_topic("test.recorded", seen.append)
    event = EventFactory(attempts=2, last_error="Attempt 2 started and did not finish")

    assert event_process(event_id=event.pk) == Outcome.SKIPPED

    event.refresh_from_db()
    assert event.state == "failed"
    assert seen == []


def test_the_sweep_processes_due_events_only_oldest_first(on_topic):
    seen = []
    on_topic("test.recorded", lambda event: seen.append(event.pk))
    due_late = EventFactory(available_at=timezone.now() - timedelta(seconds=5))
    due_early = EventFactory(available_at=timezone.now() - timedelta(minutes=5))
    EventFactory(later=True)
    EventFactory(processed=True)
    EventFactory(failed=True)

    processed = event_process_due()

    assert processed == [due_early.pk, due_late.pk]
    assert seen == [due_early.pk, due_late.pk]


def test_the_sweep_keeps_going_past_a_failing_event(on_topic):
    def fails_for_the_first(event):
        if event.payload.get("bad"):
            raise RuntimeError("bad payload")

    on_topic("test.recorded", fails_for_the_first)
    bad = EventFactory(payload={"bad": True}, available_at=timezone.now() - timedelta(minutes=1))
    good = EventFactory()

    assert event_process_due() == [good.pk]
    assert Event.objects.get(pk=bad.pk).state == "retrying"


def test_an_editor_without_the_permission_cannot_retry_events():
    event = EventFactory(failed=True)
    editor = UserFactory(editor=True)

    with pytest.raises(PermissionDenied):
        event_retry(user=editor, event_ids=[event.pk])

    assert Event.objects.get(pk=event.pk).state == "failed"


def test_retrying_failed_events_gives_them_fresh_attempts_and_wakes_a_worker(
    django_capture_on_commit_callbacks,
):
    failed = EventFactory(failed=True)
    processed = EventFactory(processed=True)
    admin = UserFactory(admin=True)

    with django_capture_on_commit_callbacks() as callbacks:
        count = event_retry(user=admin, event_ids=[failed.pk, processed.pk])

    assert count == 1
    assert len(callbacks) == 1
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.failed_at) == ("pending", 0, None)
    assert failed.available_at <= timezone.now()
    assert Event.objects.get(pk=processed.pk).state == "processed"


def test_pruning_deletes_old_processed_events_and_keeps_everything_else(settings):
    settings.OUTBOX_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    old_processed = EventFactory(processed_at=old)
    recent_processed = EventFactory(processed=True)
    old_failed = EventFactory(failed=True, failed_at=old, created_at=old)
    old_pending = EventFactory(created_at=old, available_at=old)

    assert event_prune(batch=1) == 1

    remaining = set(Event.objects.values_list("pk", flat=True))
    assert old_processed.pk not in remaining
    assert {recent_processed.pk, old_failed.pk, old_pending.pk} <= remaining


@pytest.mark.postgres
def test_an_event_locked_by_another_worker_is_skipped(
    transactional_db, postgres_required, on_topic
):
    seen = []
    on_topic("test.recorded", seen.append)
    event = EventFactory()
    locked = threading.Event()
    release = threading.Event()

    def hold_lock():
        with transaction.atomic():
            Event.objects.select_for_update().get(pk=event.pk)
            locked.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(10)
        assert event_process(event_id=event.pk) == Outcome.SKIPPED
    finally:
        release.set()
        holder.join()

    assert seen == []
    assert Event.objects.get(pk=event.pk).attempts == 0
    assert event_process(event_id=event.pk) == Outcome.PROCESSED


def test_an_event_recorded_for_later_waits_for_the_sweep(django_capture_on_commit_callbacks):
    later = timezone.now() + timedelta(minutes=5)
    with django_capture_on_commit_callbacks() as callbacks:
        event = event_record(topic="test.recorded", payload={}, available_at=later)
    assert callbacks == []
    assert event.available_at == later
    assert event_process(event_id=event.pk) == Outcome.SKIPPED


def test_a_handler_asking_to_retry_later_is_not_retried_sooner(on_topic):
    class RateLimited(Exception):
        retry_after = 900

    def handler(event):
        raise RateLimited("slow down")

    on_topic("test.topic", handler)
    event = event_record(topic="test.topic", payload={})
    before = timezone.now()
    assert event_process(event_id=event.pk) == Outcome.RETRYING
    event.refresh_from_db()
    assert event.available_at >= before + timedelta(seconds=900)
