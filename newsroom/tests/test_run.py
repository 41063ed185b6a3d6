"""`make run`'s processes under honcho, as a newcomer runs them: one Ctrl-C stops all three
cleanly, the worker included, before honcho's SIGKILL (5 s after the first process stops)."""

import re
import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from conftest import ManagedProcess, subprocess_env

pytestmark = [pytest.mark.worker, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ctrl_c_stops_site_worker_and_beat_cleanly(transactional_db, tmp_path):
    env = subprocess_env(
        DEBUG="1",
        REDIS_URL="",  # the embedded broker and file cache, as `make run` has them
        CELERY_BROKER_DIR=str(tmp_path / "broker"),
        CACHE_DIR=str(tmp_path / "cache"),
        CELERY_BEAT_SCHEDULE_FILENAME=str(tmp_path / "beat-schedule"),
        EMAIL_URL=f"devmail://{tmp_path / 'mail'}",
        HOST="127.0.0.1",
        PORT=str(_free_port()),
    )
    env.pop("CELERY_BROKER_URL", None)
    honcho_bin = str(Path(sys.executable).with_name("honcho"))
    honcho = ManagedProcess([honcho_bin, "start", "-f", "Procfile"], env, ready_text=None)
    try:
        deadline = time.monotonic() + 90
        while not all(
            text in honcho.output()
            for text in ("celery@", "ready.", "beat: Starting", "Quit the server")
        ):
            assert time.monotonic() < deadline, honcho.output()
            assert honcho.proc.poll() is None, honcho.output()
            time.sleep(0.2)
        time.sleep(1)  # a few polls of the broker and a sweep or two

        honcho.proc.send_signal(signal.SIGINT)  # what Ctrl-C in the terminal sends honcho
        honcho.proc.wait(timeout=30)
    finally:
        if honcho.proc.poll() is None:  # a failed test still stops the three processes
            honcho.proc.send_signal(signal.SIGINT)
            honcho.proc.wait(timeout=30)
    output = honcho.output()

    assert "SIGKILL" not in output
    assert sorted(re.findall(r"(\w+)\.1 stopped \(rc=(-?\d+)\)", output)) == [
        ("beat", "0"),
        ("web", "0"),
        ("worker", "0"),
    ]
    assert "exited with 'signal" not in output  # no pool process killed under the worker
