"""The production stack for the shared-cache benchmarks, on bench_site.py's generated newsroom:
gunicorn (bin/newsroom web), a Celery worker and beat, and Varnish running
deploy/varnish/default.vcl in front, every process purging through the outbox as in production.

Import it before Django is set up: it puts the purge settings in the environment, which this
process (the desk making changes) and every process it starts read."""

import os
import sys
import time
from pathlib import Path
from urllib.request import Request, urlopen

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_site  # noqa: E402 - the shared data set, server settings and wrk helpers
from bench_scheduling import Process  # noqa: E402

from edgecache.testing import Varnish, free_port  # noqa: E402

ROOT = bench_site.ROOT
WEB_PORT = free_port()
VARNISH = Varnish(WEB_PORT, probe_interval="1s", memory="512m")
ORIGIN = f"http://127.0.0.1:{WEB_PORT}"
os.environ.update(
    {
        "EDGECACHE_PURGERS": "origin,varnish",
        "EDGECACHE_VARNISH_URLS": VARNISH.url,
        "PORT": str(WEB_PORT),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": os.environ.get("BENCH_WEB_WORKERS", "2"),
        "WORKER_CONCURRENCY": "2",
        "CONN_MAX_AGE": "600",
        "CELERY_BEAT_SCHEDULE_FILENAME": str(ROOT / "var" / "bench" / "edge-beat-schedule"),
        # The public site's numbers are for anonymous readers: Varnish sends its own address.
        "TRUSTED_PROXY_COUNT": "0",
    }
)


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    with urlopen(Request(url, headers=headers or {}), timeout=30) as response:
        return response.status, dict(response.headers), response.read()


class Stack:
    """``with Stack(beat=True) as stack:`` web, worker (and beat), and Varnish, stopped after."""

    def __init__(self, *, worker: bool = True, beat: bool = False):
        self.want_worker, self.want_beat = worker, beat
        self.processes: list[Process] = []

    def __enter__(self) -> "Stack":
        try:
            self._start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _start(self) -> None:
        launcher = str(ROOT / "bin" / "newsroom")
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        web = Process("edge-web", [launcher, "web"])
        self.processes.append(web)
        web.wait_for("Booting worker", timeout=180)
        # The worker and beat say they are ready at INFO (the servers log at WARNING).
        quiet = os.environ["LOG_LEVEL"]
        os.environ["LOG_LEVEL"] = "INFO"
        try:
            self._start_celery(launcher)
        finally:
            os.environ["LOG_LEVEL"] = quiet
        VARNISH.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                fetch(VARNISH.url + "/robots.txt")
                break
            except OSError:
                time.sleep(0.2)

    def _start_celery(self, launcher: str) -> None:
        if self.want_worker:
            worker = Process("edge-worker", [launcher, "worker"])
            self.processes.append(worker)
            worker.wait_for("ready.", timeout=180)
        if self.want_beat:
            beat = Process("edge-beat", [launcher, "beat"])
            self.processes.append(beat)
            beat.wait_for("beat: Starting", timeout=180)

    def __exit__(self, *exc) -> None:
        VARNISH.stop()
        for process in reversed(self.processes):
            process.stop()


def warm(url: str, header: str, value: str, *, times: int = 50) -> None:
    """Ask for ``url`` until ``header`` says ``value`` several times running (every gunicorn
    worker has met the page, Varnish holds it)."""
    running = 0
    deadline = time.monotonic() + 60
    while running < times and time.monotonic() < deadline:
        _, headers, _ = fetch(url)
        running = running + 1 if headers.get(header) == value else 0
    if running < times:
        raise RuntimeError(f"{url} never answered {header}: {value}")


def prepare(*, need_wrk: bool = True):
    """The generated newsroom, an empty cache, and an editor for the desk's changes."""
    import shutil

    tools = ["varnishd", "wrk"] if need_wrk else ["varnishd"]
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        sys.exit(f"needs {' and '.join(missing)}: apt-get install wrk varnish varnish-modules")
    bench_site.ensure_database(os.environ["DATABASE_URL"])
    bench_site.generate()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    cache.clear()
    editor, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    return editor


def newest_article():
    from articles.models import Article

    return Article.objects.published().order_by("-published_at").first()
