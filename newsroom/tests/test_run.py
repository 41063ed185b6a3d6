"""`make run` as a newcomer runs it: on the port they chose, links in pages and in the mails the
worker sends lead back to that port; one Ctrl-C in the terminal stops the site, the worker and
beat cleanly within seconds, long before honcho's SIGKILL (5 s after the first process stops)."""

import contextlib
import os
import re
import signal
import sys
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import requests

from conftest import ManagedProcess, free_port, subprocess_env, wait_until
from newsroom.tests.processes import _alive, _descendants

pytestmark = [pytest.mark.worker, pytest.mark.slow]

READY = ("celery@", "ready.", "beat: Starting", "Quit the server")


def _embedded_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """`make run`'s embedded default (file broker and cache, the development outbox), with
    every file in the test's own folder; the test database unless ``extra`` names another."""
    env = subprocess_env()
    for name in ("CELERY_BROKER_URL", "SITE_URL", "DEV_SITE_URL", "HOST", "PORT", "LOG_SWEEPS"):
        env.pop(name, None)
    env.update(
        REDIS_URL="",
        CELERY_BROKER_DIR=str(tmp_path / "broker"),
        CACHE_DIR=str(tmp_path / "cache"),
        CELERY_BEAT_SCHEDULE_FILENAME=str(tmp_path / "beat-schedule"),
        MEDIA_ROOT=str(tmp_path / "media"),
        EMAIL_URL=f"devmail://{tmp_path / 'mail'}",
        **extra,
    )
    return env


def _wait_ready(process: ManagedProcess, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not all(text in process.output() for text in READY):
        assert time.monotonic() < deadline, process.output()
        assert process.proc.poll() is None, process.output()
        time.sleep(0.2)


def _ctrl_c(process: ManagedProcess, timeout: float = 30) -> dict[str, float]:
    """SIGINT to the terminal's foreground process group, as Ctrl-C sends it; returns how many
    seconds each process of the stack took to be gone, by its command line."""
    processes = {}
    for pid in _descendants(process.proc.pid):
        with contextlib.suppress(OSError):
            processes[pid] = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")[:80]
    started = time.monotonic()
    gone: dict[int, float] = {}
    os.killpg(process.proc.pid, signal.SIGINT)
    while len(gone) < len(processes) and time.monotonic() - started < timeout:
        for pid in processes.keys() - gone.keys():
            if not _alive(pid):
                gone[pid] = round(time.monotonic() - started, 2)
        time.sleep(0.02)
    process.proc.wait(timeout=timeout)
    left = [processes[pid] for pid in processes.keys() - gone.keys()]
    assert not left, f"still running after {timeout} s: {left}"
    gone = {f"{processes[pid]} ({pid})": seconds for pid, seconds in gone.items()}
    return gone


def test_make_run_on_another_port_links_pages_and_mails_to_that_port(tmp_path):
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    venv = Path(sys.executable).parent.parent
    stack = ManagedProcess(
        # -o: the virtualenv is there already; nothing to install.
        ["make", "--no-print-directory", "-o", f"{venv}/.installed", "run",
         f"VENV={venv}", "HOST=127.0.0.1", f"PORT={port}"],
        # A database of its own, as on a newcomer's machine: migrated and seeded from scratch.
        _embedded_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"),
        ready_text=None,
    )  # fmt: skip
    try:
        _wait_ready(stack)
        assert f"Mail:   {origin}/dev/mail/" in stack.output()

        home = requests.get(f"{origin}/", timeout=30).text
        article_path = re.search(r'href="(/\d{4}/\d{2}/\d{2}/[^"]+/)"', home).group(1)
        article = requests.get(f"{origin}{article_path}", timeout=30).text
        assert f'<link rel="canonical" href="{origin}{article_path}">' in article
        assert f'<meta property="og:url" content="{origin}{article_path}">' in article
        for page in (home, article):
            on_this_machine = re.findall(r"https?://(?:localhost|127\.0\.0\.1)[^\"'<>\s]*", page)
            assert on_this_machine
            assert all(link.startswith(f"{origin}/") for link in on_this_machine)

        # A reader signs up; the worker mails the confirmation to the development outbox.
        reader = requests.Session()
        form = reader.get(f"{origin}/newsletter/subscribe/", timeout=30).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        answer = reader.post(
            f"{origin}/newsletter/subscribe/",
            data={
                "csrfmiddlewaretoken": token,
                "email": "newcomer@example.org",
                "lists": "daily-digest",
            },
            timeout=30,
        )
        assert answer.status_code == 200 and "/check-your-inbox/" in answer.url, answer.text
        mail_file = wait_until(lambda: next((tmp_path / "mail").glob("*.eml"), None), timeout=60)
        mail = BytesParser(policy=policy.default).parsebytes(mail_file.read_bytes())
        assert mail["To"] == "newcomer@example.org"
        text = mail.get_body(preferencelist=("plain",)).get_content()
        links = re.findall(r"https?://\S+", text)
        confirm = next(link for link in links if "/newsletter/confirm/" in link)
        assert all(link.startswith(f"{origin}/") for link in links if "example.org" not in link)
        assert mail["List-Unsubscribe"] is None or origin in mail["List-Unsubscribe"]
        page = reader.get(confirm, timeout=30)
        assert page.status_code == 200, page.text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        done = reader.post(confirm, data={"csrfmiddlewaretoken": token}, timeout=30)
        assert done.status_code == 200 and "Daily digest" in done.text, done.text
        # The terminal names the message and where to read it, among few other lines: no
        # routine lines of the worker's wake-ups, no warning about the embedded broker.
        wait_until(lambda: f"(read it at {origin}/dev/mail/{mail_file.stem}/)" in stack.output())
        assert "Outbox event processed" in stack.output()
        assert "outbox.process_event[" not in stack.output()
        assert "No hostname was supplied" not in stack.output()
    finally:
        if stack.proc.poll() is None:
            _ctrl_c(stack)


def test_ctrl_c_stops_site_worker_and_beat_cleanly_within_seconds(transactional_db, tmp_path):
    env = _embedded_env(tmp_path, DEBUG="1", HOST="127.0.0.1", PORT=str(free_port()))
    honcho_bin = str(Path(sys.executable).with_name("honcho"))
    honcho = ManagedProcess([honcho_bin, "start", "-f", "Procfile"], env, ready_text=None)
    try:
        _wait_ready(honcho)
        time.sleep(1)  # a few polls of the broker and a sweep or two
        stopped_after = _ctrl_c(honcho)
    finally:
        if honcho.proc.poll() is None:  # a failed test still stops the three processes
            honcho.kill()
    output = honcho.output()

    assert "SIGKILL" not in output
    assert sorted(re.findall(r"(\w+)\.1 stopped \(rc=(-?\d+)\)", output)) == [
        ("beat", "0"),
        ("web", "0"),
        ("worker", "0"),
    ]
    assert "Warm shutdown" in output  # the worker let its tasks finish
    # Every process is gone within seconds, long before honcho's SIGKILL (_ctrl_c checks that
    # none is left behind), and the worker, with nothing running, about as soon as beat.
    assert max(stopped_after.values()) < 4, stopped_after
    last = {
        name: max(t for command, t in stopped_after.items() if f"newsroom {name}" in command)
        for name in ("worker", "beat")
    }
    assert last["worker"] < last["beat"] + 0.8, stopped_after
