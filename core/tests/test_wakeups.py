"""Wake-ups against a broker of the test's own: sent once, never raising, and skipped for a
while after a failure, so a stopped or hung broker costs one attempt per process and interval
however many rows a request changes."""

import time
from types import SimpleNamespace

import pytest
import redis
from django.conf import settings

from conftest import celery_broker
from core import wakeups
from core.wakeups import send_wake_up
from outbox.tasks import event_process_task

pytestmark = [pytest.mark.redis, pytest.mark.faults]


@pytest.fixture
def broker(own_redis):
    """Tasks sent by this process go to the test's own Redis; yields (server, queue length)."""
    client = redis.Redis.from_url(own_redis.url, socket_timeout=5)

    def queued() -> int:
        return client.llen(settings.CELERY_TASK_DEFAULT_QUEUE)

    with celery_broker(own_redis.url):
        yield own_redis, queued
    client.close()


def test_a_wake_up_reaches_the_broker(broker):
    _, queued = broker

    assert send_wake_up(event_process_task, 1) is True

    assert queued() == 1


def test_a_stopped_broker_is_skipped_after_one_attempt_and_nothing_raises(broker, caplog):
    server, _ = broker
    server.stop()

    assert [send_wake_up(event_process_task, pk) for pk in range(20)] == [False] * 20

    assert caplog.text.count("Broker unavailable") == 1


def test_a_hung_broker_gets_one_attempt_per_interval_not_one_per_wake_up(broker):
    server, queued = broker
    server.pause()
    try:
        sent = [send_wake_up(event_process_task, pk) for pk in range(10)]
    finally:
        server.resume()

    assert sent == [False] * 10
    # The one attempt made during the pause may still land once the server reads its socket;
    # the nine skipped ones never reached it.
    time.sleep(0.2)
    assert queued() <= 1


def test_wake_ups_are_sent_again_once_the_retry_interval_has_passed(
    broker, settings, caplog, monkeypatch
):
    # The wake-ups' clock, moved on by the test: a loaded machine's pauses must not count.
    later = {"by": 0.0}
    monkeypatch.setattr(
        wakeups, "time", SimpleNamespace(monotonic=lambda: time.monotonic() + later["by"])
    )
    settings.REDIS_RETRY_SECONDS = 30
    server, queued = broker
    server.stop()
    assert send_wake_up(event_process_task, 1) is False
    server.start()
    assert send_wake_up(event_process_task, 2) is False  # still inside the interval

    later["by"] = 31

    assert send_wake_up(event_process_task, 3) is True
    assert queued() == 1
    assert "Broker available again" in caplog.text
