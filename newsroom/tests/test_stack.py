"""The production stack without Docker: the processes docker-compose.yml runs (bin/newsroom
migrate, web, worker, beat) against real PostgreSQL and Redis, with DEBUG off."""

import json
import secrets
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import yaml
from django.core.cache import cache

from conftest import ManagedProcess, free_port, subprocess_env, wait_until
from newsroom.celery import ping

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

BASE_DIR = Path(__file__).resolve().parents[2]
LAUNCHER = str(BASE_DIR / "bin" / "newsroom")
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def healthz_all_ok(base: str) -> bool:
    status, body = get(f"{base}/healthz")
    return status == 200 and all(v == "ok" for v in json.loads(body).values() if isinstance(v, str))


@pytest.fixture
def production_env(tmp_path):
    port = free_port()
    env = subprocess_env(
        # bin/newsroom prefers .venv/bin/python; the tests' interpreter is the one installed.
        PYTHON=sys.executable,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(45),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        SITE_URL=f"http://localhost:{port}",
        # The test talks plain HTTP to gunicorn, as the TLS proxy would.
        SECURE_SSL_REDIRECT="false",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        WORKER_CONCURRENCY="1",
        STATIC_ROOT=str(tmp_path / "static"),
        CELERY_BEAT_SCHEDULE_FILENAME=str(tmp_path / "celerybeat-schedule"),
    )
    return env, port


def test_migrate_web_worker_and_beat_serve_together(
    postgres_required, redis_required, transactional_db, production_env
):
    env, port = production_env
    base = f"http://127.0.0.1:{port}"

    collectstatic = [sys.executable, "manage.py", "collectstatic", "--noinput"]
    for step in ([LAUNCHER, "migrate"], collectstatic):
        result = subprocess.run(
            step, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180
        )
        assert result.returncode == 0, result.stdout + result.stderr

    processes = []
    try:
        web = ManagedProcess([LAUNCHER, "web"], env, ready_text="Listening at")
        processes.append(web)
        worker = ManagedProcess([LAUNCHER, "worker"], env, ready_text="ready.")
        processes.append(worker)
        beat = ManagedProcess([LAUNCHER, "beat"], env, ready_text="beat: Starting")
        processes.append(beat)
        for process in processes:
            process.wait_ready(timeout=60)

        # gunicorn serves /healthz with every service ok.
        wait_until(lambda: healthz_all_ok(base), timeout=60)

        # The admin renders with its static files, served by whitenoise with DEBUG off.
        status, page = get(f"{base}/admin/login/")
        assert status == 200
        stylesheet = page.decode().split('href="/static/admin/css/base')[1].split('"')[0]
        assert get(f"{base}/static/admin/css/base{stylesheet}")[0] == 200

        # A task sent through Redis runs in the worker process.
        token = uuid.uuid4().hex
        ping.delay(token)
        wait_until(lambda: cache.get(f"celery-ping:{token}") == "pong", timeout=30)

        # docker-compose.yml's healthchecks work against these processes.
        web_check = COMPOSE["services"]["web"]["healthcheck"]["test"][-1]
        web_check = web_check.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        result = subprocess.run(
            [sys.executable, "-c", web_check], env=env, capture_output=True, text=True, timeout=30
        )
        assert result.returncode == 0, result.stderr
        worker_check = [
            sys.executable, "-m", "celery", "-A", "newsroom", "inspect", "ping",
            "--destination", f"celery@{socket.gethostname()}", "--timeout", "5",
        ]  # fmt: skip
        result = subprocess.run(
            worker_check,
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "pong" in result.stdout

        # Beat is still running and keeps its schedule where it was told to.
        assert beat.proc.poll() is None, beat.output()
        schedule = Path(env["CELERY_BEAT_SCHEDULE_FILENAME"])
        assert list(schedule.parent.glob(f"{schedule.name}*")), beat.output()
    finally:
        for process in reversed(processes):
            process.stop()
