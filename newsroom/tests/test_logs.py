"""A quiet log: periodic sweeps that found nothing to do leave no line, work and trouble do;
development reads plain lines; the embedded broker starts without kombu's hostname warning."""

import json
import logging
import subprocess
import sys
import time
import uuid

import pytest
from django.core.cache import cache

from conftest import BASE_DIR, subprocess_env, wait_until
from newsroom.celery import ping
from newsroom.logs import PlainFormatter, QuietSweeps
from outbox.models import Sweep

SWEEPS = ["articles.publish_due", "outbox.process_due", "newsletter.sweep"]


def _record(name: str, msg: str, args=(), level=logging.INFO, **extra) -> logging.LogRecord:
    record = logging.LogRecord(name, level, __file__, 1, msg, args, None)
    record.__dict__.update(extra)
    return record


@pytest.fixture
def quiet():
    return QuietSweeps(tasks=SWEEPS)


def test_idle_sweep_lines_are_dropped(quiet):
    sent = _record(
        "celery.beat", "Scheduler: Sending due task %s (%s)", ("x", "outbox.process_due")
    )
    received = _record("celery.worker.strategy", "received", data={"name": "outbox.process_due"})
    idle = _record(
        "celery.app.trace",
        "succeeded",
        data={"name": "newsletter.sweep", "return_value": "{'started': 0, 'finished': 0}"},
    )
    assert not any(quiet.filter(r) for r in (sent, received, idle))


def test_a_sweep_that_did_something_and_every_other_task_still_log(quiet):
    busy = _record(
        "celery.app.trace",
        "succeeded",
        data={"name": "articles.publish_due", "return_value": "2"},
    )
    other = _record("celery.app.trace", "succeeded", data={"name": "newsroom.ping"})
    failed = _record(
        "celery.app.trace", "failed", level=logging.ERROR, data={"name": "outbox.process_due"}
    )
    ours = _record("outbox.services", "Outbox event processed", event_id=3)
    assert all(quiet.filter(r) for r in (busy, other, failed, ours))


def test_wake_ups_leave_only_the_line_of_the_work_their_service_did(settings):
    """A first `make run` wakes a worker for every outbox event the demo recorded: the log says
    what each event did, once, not that a task was received and succeeded."""
    quiet = QuietSweeps(tasks=settings.LOGGING["filters"]["quiet_sweeps"]["tasks"])
    routine = [
        _record("celery.worker.strategy", "received", data={"name": "outbox.process_event"}),
        _record(
            "celery.app.trace",
            "succeeded",
            data={"name": "outbox.process_event", "return_value": "'processed'"},
        ),
        _record(
            "celery.app.trace",
            "succeeded",
            data={"name": "outbox.process_event", "return_value": "'skipped'"},
        ),
        _record(
            "celery.app.trace",
            "succeeded",
            data={"name": "articles.publish_wake", "return_value": "0"},
        ),
    ]
    work = [
        _record("outbox.services", "Outbox event processed", event_id=3),
        _record(
            "celery.app.trace",
            "succeeded",
            data={"name": "articles.publish_wake", "return_value": "1"},
        ),
        _record(
            "celery.app.trace",
            "failed",
            level=logging.ERROR,
            data={"name": "outbox.process_event"},
        ),
    ]
    assert not any(quiet.filter(r) for r in routine)
    assert all(quiet.filter(r) for r in work)


def test_development_lines_are_plain_with_their_fields_at_the_end():
    record = _record("newsletter.services.signup", "Confirmed subscriptions added", subscriber_id=4)
    line = PlainFormatter().format(record)
    assert line.endswith(
        " INFO newsletter.services.signup Confirmed subscriptions added subscriber_id=4"
    )
    assert "{" not in line


@pytest.mark.worker
@pytest.mark.slow
def test_an_idle_worker_and_beat_log_nothing_about_their_sweeps(
    transactional_db, empty_queues, start_worker, start_beat
):
    worker = start_worker(LOG_SWEEPS="0")
    beat = start_beat(LOG_SWEEPS="0", PUBLISHING_SWEEP_SECONDS="1", OUTBOX_SWEEP_SECONDS="1")
    started = time.monotonic()
    wait_until(lambda: Sweep.objects.filter(name__in=SWEEPS[:2]).count() == 2, timeout=30)
    time.sleep(max(0.0, 4 - (time.monotonic() - started)))  # a few more rounds of both sweeps
    token = uuid.uuid4().hex
    ping.delay(token)
    wait_until(lambda: cache.get(f"celery-ping:{token}") == "pong", timeout=30)
    wait_until(lambda: "newsroom.ping" in worker.output(), timeout=10)

    records = [
        json.loads(line)
        for line in worker.lines + beat.lines
        if line.startswith("{")  # log records, not the start-up banners listing every task
    ]
    about_sweeps = [r for r in records if any(name in r["message"] for name in SWEEPS)]
    assert about_sweeps == []
    assert any("newsroom.ping" in r["message"] and "succeeded" in r["message"] for r in records)


def test_the_embedded_broker_sends_without_a_hostname_warning(tmp_path):
    code = (
        "import django; django.setup(); from newsroom.celery import ping; ping.delay('x'); "
        "print('sent')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=subprocess_env(
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            DEBUG="1",
            REDIS_URL="",
            CELERY_BROKER_DIR=str(tmp_path / "broker"),
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "sent" in result.stdout
    assert "No hostname was supplied" not in result.stdout + result.stderr
    assert list((tmp_path / "broker" / "queue").iterdir())
