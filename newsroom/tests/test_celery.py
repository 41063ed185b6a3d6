"""A real task through the real broker (Redis in CI, the embedded broker without it), run by a
real worker process."""

import re
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from conftest import wait_until
from newsroom.celery import app, ping

pytestmark = [pytest.mark.worker, pytest.mark.slow]


def test_celery_is_configured_for_idempotent_json_tasks():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.broker_url == settings.CELERY_BROKER_URL


def test_ping_sent_through_the_broker_runs_in_a_worker_process(transactional_db, start_worker):
    worker = start_worker()
    token = uuid.uuid4().hex

    ping.delay(token)

    wait_until(lambda: cache.get(f"celery-ping:{token}") == "pong", timeout=30)
    wait_until(lambda: re.search(r"Task newsroom\.ping\[[0-9a-f-]+\] succeeded", worker.output()))
