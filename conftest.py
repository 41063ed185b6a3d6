"""
Project-wide test wiring: which services the run uses, strict mode for CI, a fast password
hasher, the staff of every role, the newsletter's lists, and fixtures starting a real Celery
worker, beat, gunicorn behind Varnish, a Redis of a test's own or a browser for the tests that
need one (the processes themselves are in newsroom/tests/processes.py).
"""

import contextlib
import os
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

# Tests import these from here as well (``from conftest import wait_until``).
from newsroom.tests.processes import (  # noqa: F401
    ManagedProcess,
    OwnRedis,
    celery,
    free_port,
    gunicorn,
    seconds_until,
    subprocess_env,
    wait_until,
)

BASE_DIR = Path(__file__).resolve().parent
STRICT = os.environ.get("NEWSROOM_STRICT_SERVICES") == "1"


def _services() -> tuple[str, str]:
    database = "PostgreSQL" if settings.USING_POSTGRES else "SQLite (embedded default)"
    broker = "Redis" if settings.CELERY_BROKER_URL.startswith("redis") else "embedded filesystem"
    return database, broker


def pytest_report_header(config):
    database, broker = _services()
    cache = "Redis" if settings.REDIS_URL else "local file cache"
    return [f"newsroom: database={database}, cache={cache}, broker={broker}"]


def pytest_configure(config):
    if STRICT and not (settings.USING_POSTGRES and settings.REDIS_URL):
        raise pytest.UsageError(
            "NEWSROOM_STRICT_SERVICES=1 needs DATABASE_URL=postgres://... and REDIS_URL=redis://..."
        )
    # Every factory user hashes a password: production's slow hasher would cost minutes here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _empty_tables_with_delete()


def _empty_tables_with_delete():
    """After each test that commits, PostgreSQL empties the tables with one DELETE per table
    instead of Django's TRUNCATE of all of them: TRUNCATE makes new files for every table and
    index (over a second for this schema), DELETE of the few rows a test wrote costs
    milliseconds. Foreign keys are deferred (Django creates them DEFERRABLE INITIALLY
    DEFERRED), so the order does not matter. Resets of sequences and cascades into tables
    outside the flush keep Django's statement."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"DELETE FROM {self.quote_name(table)};"  # noqa: S608 - quoted table names
            for table in tables
        ]

    DatabaseOperations.sql_flush = sql_flush


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # In CI a skipped test is a test that did not run against the real services: fail it.
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in strict mode (CI must run every test): {report.longrepr}"
    return report


@pytest.fixture(autouse=True)
def _test_defaults(settings):
    """No collectstatic in tests; a fresh cache per test."""
    from django.core.cache import cache

    from core import wakeups
    from edgecache.store import store

    wakeups.reset()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    store.reset()
    yield
    cache.clear()
    store.reset()


@pytest.fixture(autouse=True)
def _second_factor_optional(settings):
    """Staff signed in with force_login need no second factor here (production requires one of
    editors and administrators); the tests of the second factor turn the requirement on."""
    settings.STAFF_OTP_REQUIRED = False


# -- Staff of every role (authors/tests/factories.py makes the accounts) ----------------------


@pytest.fixture
def editor(db):
    """An editor (may publish): Edna Editor."""
    from authors.tests.factories import UserFactory

    return UserFactory(username="edna", first_name="Edna", last_name="Editor", editor=True)


@pytest.fixture
def reporter(db):
    """A reporter with an author profile: Rita Reporter."""
    from authors.tests.factories import AuthorFactory, UserFactory

    user = UserFactory(username="rita", first_name="Rita", last_name="Reporter", reporter=True)
    AuthorFactory(name="Rita Reporter", slug="rita-reporter", user=user)
    return user


@pytest.fixture
def other_reporter(db):
    """A second reporter, without an author profile: Otto Other."""
    from authors.tests.factories import UserFactory

    return UserFactory(username="otto", first_name="Otto", last_name="Other", reporter=True)


@pytest.fixture
def moderator(db):
    """A comment moderator: Moira Moderator."""
    from authors.tests.factories import UserFactory

    return UserFactory(username="moira", first_name="Moira", last_name="Moderator", moderator=True)


@pytest.fixture
def fresh_minute(monkeypatch):
    """Rate limits count in fixed windows: for a test that must hit one limit within one minute,
    the limiter's clock runs a second into a fresh minute, so its requests cannot straddle two
    windows (and nothing waits for the minute to turn)."""
    import core.ratelimit.windows as windows

    shift = 61 - time.time() % 60
    clock = SimpleNamespace(time=lambda: time.time() + shift, monotonic=time.monotonic)
    monkeypatch.setattr(windows, "time", clock)


@pytest.fixture
def digest(db):
    """The newsletter's daily digest list."""
    from newsletter.tests.factories import ListFactory

    return ListFactory(digest=True)


@pytest.fixture
def breaking(db):
    """The newsletter's breaking-news list."""
    from newsletter.tests.factories import ListFactory

    return ListFactory(breaking=True)


@pytest.fixture
def redis_required():
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (real Redis)")


@pytest.fixture
def postgres_required():
    if not settings.USING_POSTGRES:
        pytest.skip("needs DATABASE_URL=postgres://...")


@pytest.fixture
def start_worker():
    """Start real Celery worker processes against the test database and the configured broker.

    Use with ``transactional_db`` (the worker only sees committed rows).
    """
    started: list[ManagedProcess] = []

    def start(concurrency: int = 1, extra_args: list[str] | None = None, **env: str):
        name = f"test-{uuid.uuid4().hex[:8]}@%h"
        process = celery(
            "worker", f"--concurrency={concurrency}", "-n", name,
            "--without-gossip", "--without-mingle", "--without-heartbeat", *(extra_args or []),
            ready_text="ready.", **env,
        )  # fmt: skip
        started.append(process)
        return process

    yield start
    # The test is over: nothing a worker still does can matter, and a warm shutdown costs
    # seconds. A test that checks a clean stop calls stop() itself.
    for process in started:
        process.kill()


@pytest.fixture
def empty_queues():
    """Purge the test queues before a test with a worker: messages an earlier test left behind
    (sweeps, wake-ups) would make this test's worker start with a backlog."""
    from newsroom.celery import app

    app.control.purge()


@pytest.fixture
def varnish_stack(redis_required, start_worker, empty_queues, tmp_path):
    """``varnish_stack(app="newsroom.wsgi", **env)``: gunicorn serving ``app`` (two workers),
    a Celery worker and a real varnishd running deploy/varnish/default.vcl in front, all
    purging Varnish and the origin cache; returns ``(varnish, web)``. Skipped without varnishd."""
    import requests

    from edgecache.testing import Varnish, varnishd_available

    started = []

    def start(app: str = "newsroom.wsgi", **env: str):
        if not varnishd_available():
            pytest.skip("varnishd is not installed (apt-get install varnish varnish-modules)")
        port = free_port()
        varnish = Varnish(port, probe_interval="0.5s")
        purging = {"EDGECACHE_PURGERS": "origin,varnish", "EDGECACHE_VARNISH_URLS": varnish.url}
        web = gunicorn(app, port, "--workers", "2", static_root=tmp_path, **purging, **env)
        started.append(web)
        start_worker(**purging)
        started.append(varnish)
        varnish.start()
        wait_until(lambda: requests.get(f"{varnish.url}/robots.txt", timeout=10).ok)
        return varnish, web

    yield start
    for process in reversed(started):
        process.stop()


@pytest.fixture
def start_beat(tmp_path):
    """Start a real celery beat process (its own schedule file) sending the CELERY_BEAT_SCHEDULE
    entries to the test queue; environment overrides, e.g. PUBLISHING_SWEEP_SECONDS="1", apply."""
    started: list[ManagedProcess] = []

    def start(**env: str):
        schedule = tmp_path / f"beat-{uuid.uuid4().hex[:8]}"
        process = celery("beat", "-s", str(schedule), ready_text="beat: Starting", **env)
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()


@pytest.fixture
def own_redis():
    """A running redis-server of the test's own (see OwnRedis); stopped after the test."""
    if not Path(OwnRedis.BINARY).exists():
        pytest.skip("redis-server is not installed")
    server = OwnRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def cache_on_own_redis(own_redis):
    """The default cache on the test's own Redis (as production configures it), for tests that
    take the cache away under the running code. Yields the server (see OwnRedis)."""
    from django.test import override_settings

    cache = {
        "BACKEND": "newsroom.cache.RedisCache",
        "LOCATION": own_redis.url,
        "KEY_PREFIX": "newsroom-test",
        "OPTIONS": {
            "socket_connect_timeout": settings.REDIS_SOCKET_TIMEOUT,
            "socket_timeout": settings.REDIS_SOCKET_TIMEOUT,
        },
    }
    # Entered and left here, not through the settings fixture: the default cache must be the
    # shared one again before the server stops and the autouse fixture clears it.
    with override_settings(CACHES={**settings.CACHES, "default": cache}):
        yield own_redis


@pytest.fixture
def browser(monkeypatch):
    """A headless Chromium (Debian's package, launched by path) for the browser tests."""
    from newsroom.tests.browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's ORM use is sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # While Playwright's event loop is current, Django keeps this thread's connections
        # apart from its usual ones (asgiref's Local): close those the test opened, or the
        # test database cannot be dropped at the end of the run.
        from django.db import connections

        connections.close_all()


@contextlib.contextmanager
def celery_broker(url: str):
    """Send this process's tasks to the broker at ``url`` for a while (a test's own Redis, or a
    closed port for a broker that is down)."""
    from kombu import pools

    from newsroom.celery import app

    def switch(to: str) -> None:
        # Close and forget every connection and producer pool: kombu keeps them in registries
        # of its own, and a pool closed but still registered would be handed out again for the
        # broker switched back to ("Acquire on closed pool").
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = to

    previous = app.conf.broker_url
    switch(url)
    try:
        yield
    finally:
        switch(previous)


# Nothing listens on port 1: a real refused connection, not a mock.
CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down():
    """Tasks sent by this process go to a broker that refuses connections."""
    with celery_broker(CLOSED_PORT_REDIS):
        yield
