"""The outbox with real processes: a Celery worker (and beat) against the test database and the
configured broker (Redis in CI, the embedded broker without it)."""

import re

import pytest
from django.db import transaction

from conftest import wait_until
from outbox.models import Event
from outbox.services import event_record
from outbox.tasks import event_process_task
from outbox.tests.factories import EventFactory

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.usefixtures("empty_queues")]

RECORDING_WORKER = ["-I", "outbox.tests.worker_handlers"]


def finished(worker, task: str) -> int:
    return len(re.findall(rf"Task {re.escape(task)}\[[0-9a-f-]+\] succeeded", worker.output()))


def processed(*events) -> bool:
    pks = [event.pk for event in events]
    return Event.objects.filter(pk__in=pks, processed_at__isnull=False).count() == len(pks)


def test_a_committed_event_is_processed_by_a_worker_right_away(
    transactional_db, recording_table, start_worker
):
    start_worker(extra_args=RECORDING_WORKER)

    with transaction.atomic():
        event = event_record(topic="test.recorded", payload={"article_id": 1})

    wait_until(lambda: processed(event), timeout=30)
    assert recording_table.handled_event_ids() == [event.pk]


def test_an_event_whose_wake_up_was_lost_is_processed_by_the_sweep(
    transactional_db, recording_table, start_worker, start_beat
):
    # Created directly: committed, but no wake-up message was ever sent.
    event = EventFactory()
    start_worker(extra_args=RECORDING_WORKER)
    start_beat(OUTBOX_SWEEP_SECONDS="1", PUBLISHING_SWEEP_SECONDS="60")

    wait_until(lambda: processed(event), timeout=30)
    assert recording_table.handled_event_ids() == [event.pk]


def test_duplicate_wake_ups_run_the_handlers_once(transactional_db, recording_table, start_worker):
    event = EventFactory()
    worker = start_worker(
        concurrency=2, extra_args=RECORDING_WORKER, OUTBOX_TEST_HANDLER_SECONDS="0.3"
    )

    for _ in range(6):
        event_process_task.delay(event.pk)

    # The worker runs other tasks too (a weather reading at start): count this task's only.
    wait_until(lambda: finished(worker, "outbox.process_event") >= 6, timeout=30)
    event.refresh_from_db()
    assert event.processed_at is not None, event.last_error
    assert recording_table.handled_event_ids() == [event.pk]
    assert event.attempts == 1
