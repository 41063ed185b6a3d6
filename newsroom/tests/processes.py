"""Processes and servers the tests start: a worker, beat or gunicorn against the test database
(``ManagedProcess``, ``subprocess_env``, ``gunicorn``), a Redis server of a test's own to stop
and pause (``OwnRedis``), a free port, and a wait for a condition. The fixtures that use them
are in the root conftest.py, which tests also import these from."""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from edgecache.testing import free_port  # one helper for the tests and bench/

BASE_DIR = Path(__file__).resolve().parents[2]


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


def _started(process: "ManagedProcess") -> "ManagedProcess":
    try:
        process.wait_ready()
    except BaseException:
        process.stop()
        raise
    return process


def celery(program: str, *options: str, ready_text: str, **env: str) -> ManagedProcess:
    """``celery -A newsroom worker|beat <options>`` against the test database and broker;
    started and ready. It logs the periodic tasks' routine lines too: tests read them."""
    command = [
        sys.executable, "-m", "celery", "-A", "newsroom", program, "--loglevel=INFO", *options
    ]  # fmt: skip
    return _started(
        ManagedProcess(command, subprocess_env(**{"LOG_SWEEPS": "1", **env}), ready_text)
    )


def gunicorn(app: str, port: int, *args: str, static_root, **env: str) -> ManagedProcess:
    """gunicorn serving the WSGI ``app`` on 127.0.0.1:``port`` against the test database with
    production settings (DEBUG off, plain HTTP as behind the TLS proxy); started and ready."""
    server = ManagedProcess(
        [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", *args],
        subprocess_env(
            DEBUG="0",
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="false",
            STATIC_ROOT=str(static_root),
            STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
            **env,
        ),
        ready_text="Booting worker",
    )
    return _started(server)


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


def wait_until(predicate, timeout: float = 30, interval: float = 0.1):
    """Poll ``predicate`` until it returns a truthy value; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s")


def seconds_until(predicate, timeout: float = 30, interval: float = 0.02) -> float:
    """How long ``predicate`` took to come true (as wait_until, polled more often)."""
    started = time.monotonic()
    wait_until(predicate, timeout, interval)
    return time.monotonic() - started
