"""
Project-wide test wiring: which services the run uses, strict mode for CI, a fast password
hasher, the staff of every role, and a real Celery worker process for the tests that need one.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.conf import settings

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
def redis_required():
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (real Redis)")


@pytest.fixture
def postgres_required():
    if not settings.USING_POSTGRES:
        pytest.skip("needs DATABASE_URL=postgres://...")


def database_url_for_subprocess() -> str:
    """The URL of the database the current test uses (the test database, not the main one)."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{db['NAME']}"


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url_for_subprocess(), "PYTHONUNBUFFERED": "1"}
    # Beat fetches the weather when it starts: never from the real service in a test (a closed
    # local port answers at once).
    env.setdefault("WEATHER_API_URL", "http://127.0.0.1:9/v1/forecast")
    env.update(extra)
    return env


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid``, read from /proc (children of each of its threads)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            with contextlib.suppress(OSError):
                children = [int(c) for c in (task / "children").read_text().split()]
                found += children
                todo += children
    return found


def _alive(pid: int) -> bool:
    """Not yet dead: a zombie (dead, not yet reaped by its parent) counts as dead."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


class ManagedProcess:
    """A child process whose output is collected, with a wait for a line that says it is ready."""

    def __init__(self, args: list[str], env: dict[str, str], ready_text: str | None):
        self.args = args
        self.lines: list[str] = []
        self._ready = threading.Event()
        self._ready_text = ready_text
        self.proc = subprocess.Popen(
            args,
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._pump, daemon=True).start()
        if ready_text is None:
            self._ready.set()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line)
            if self._ready_text and self._ready_text in line:
                self._ready.set()

    def wait_ready(self, timeout: float = 60) -> None:
        if not self._ready.wait(timeout):
            self.stop()
            raise RuntimeError(f"{self.args[:6]} not ready in {timeout}s:\n{self.output()}")

    def output(self) -> str:
        return "".join(self.lines)

    def kill(self, sig: int = 9) -> None:
        """Kill the process, its whole group and every descendant (a prefork worker's pool
        processes run in groups of their own), and return once none of them can run again."""
        descendants = _descendants(self.proc.pid)
        for pid in descendants:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)
        self.proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in descendants) and time.monotonic() < deadline:
            time.sleep(0.01)

    def stop(self, timeout: float = 20) -> None:
        if self.proc.poll() is not None:
            return
        # SIGTERM to the main process only: Celery and gunicorn stop their own children. Sent to
        # the whole group, it can kill a pool child holding the pool's queue lock, and the
        # worker then hangs at exit until the SIGKILL below.
        try:
            self.proc.terminate()
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        # Whatever is left of the group (a hung parent, an orphaned child): SIGKILL.
        self.kill()


@pytest.fixture
def start_worker():
    """Start real Celery worker processes against the test database and the configured broker.

    Use with ``transactional_db`` (the worker only sees committed rows).
    """
    started: list[ManagedProcess] = []

    def start(concurrency: int = 1, extra_args: list[str] | None = None, **env: str):
        name = f"test-{uuid.uuid4().hex[:8]}@%h"
        args = [
            sys.executable, "-m", "celery", "-A", "newsroom", "worker",
            "--loglevel=INFO", f"--concurrency={concurrency}", "-n", name,
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            *(extra_args or []),
        ]  # fmt: skip
        # Tests read the worker's log, the periodic tasks' routine lines included.
        env = {"LOG_SWEEPS": "1", **env}
        process = ManagedProcess(args, subprocess_env(**env), ready_text="ready.")
        started.append(process)
        process.wait_ready()
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
def start_beat(tmp_path):
    """Start a real celery beat process (its own schedule file) sending the CELERY_BEAT_SCHEDULE
    entries to the test queue; environment overrides, e.g. PUBLISHING_SWEEP_SECONDS="1", apply."""
    started: list[ManagedProcess] = []

    def start(**env: str):
        schedule = tmp_path / f"beat-{uuid.uuid4().hex[:8]}"
        args = [
            sys.executable, "-m", "celery", "-A", "newsroom", "beat",
            "--loglevel=INFO", "-s", str(schedule),
        ]  # fmt: skip
        env = {"LOG_SWEEPS": "1", **env}
        process = ManagedProcess(args, subprocess_env(**env), ready_text="beat: Starting")
        started.append(process)
        process.wait_ready()
        return process

    yield start
    for process in started:
        process.kill()


def free_port() -> int:
    """A TCP port nothing listens on at the moment, for a server a test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    """A redis-server of the test's own on a free port, to stop, pause and restart at will (the
    shared servers are never touched)."""

    BINARY = "/usr/bin/redis-server"

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        import redis

        self.proc = subprocess.Popen(
            [self.BINARY, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--loglevel", "warning",
             # DEBUG SLEEP from the test: the server hangs the way a busy one does.
             "--enable-debug-command", "local"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        wait_until(lambda: _answers(client), timeout=10, interval=0.05)
        client.close()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)  # a paused server cannot act on SIGTERM
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def pause(self) -> None:
        """Still accepting connections, answering nothing (a hung or swapping server)."""
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)

    def sleep(self, seconds: float) -> threading.Thread:
        """Keep the server busy for ``seconds`` (DEBUG SLEEP from a connection of its own): it
        accepts connections and answers nothing meanwhile. Returns the thread to join."""
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=seconds + 10)
        client.ping()

        def run() -> None:
            try:
                client.execute_command("DEBUG", "SLEEP", seconds)
            finally:
                client.close()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        time.sleep(0.1)  # the command on its way before the test goes on
        return thread


def _answers(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


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


def wait_until(predicate, timeout: float = 30, interval: float = 0.1):
    """Poll ``predicate`` until it returns a truthy value; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s")


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
    from newsroom.celery import app

    def switch(to: str) -> None:
        if app._pool is not None:
            app._pool.force_close_all()
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
