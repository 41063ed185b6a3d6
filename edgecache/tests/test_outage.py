"""The origin cache when its Redis stops or hangs: pages render from the database, nothing
fails, the outage is logged once, and the cache is used again when Redis is back."""

import os
import signal
import subprocess
import time

import pytest

from conftest import free_port
from edgecache.store import store

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def own_redis(settings, tmp_path):
    """A redis-server of the test's own on a free port, as the origin cache's backend."""
    port = free_port()
    process = subprocess.Popen(
        ["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    settings.CACHES = {
        **settings.CACHES,
        "edge-own": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        },
    }
    settings.EDGECACHE_CACHE = "edge-own"
    settings.EDGECACHE_STORE_RETRY_SECONDS = 1
    settings.REDIS_RETRY_SECONDS = 1  # the cache backend's own breaker (newsroom/cache.py)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            store.backend.set("ping", 1)
            break
        except Exception:
            time.sleep(0.05)

    def start_again():
        nonlocal process
        process = subprocess.Popen(
            ["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(0.3)

    yield process, start_again
    for proc in (process,):
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)
            proc.terminate()
            proc.wait(10)


def test_pages_render_from_the_database_while_redis_is_down(client, pages, own_redis, caplog):
    process, start_again = own_redis
    assert client.get("/page/a/")["X-Origin-Cache"] == "miss"
    assert client.get("/page/a/")["X-Origin-Cache"] == "hit"
    process.terminate()
    process.wait(10)
    for _ in range(5):
        response = client.get("/page/a/")
        assert response.status_code == 200 and response.content == b"<p>a: first</p>"
        assert response["X-Origin-Cache"] == "off"
    assert caplog.text.count("Origin cache unavailable") == 1

    start_again()
    time.sleep(1.1)  # the breaker's pause
    assert client.get("/page/a/")["X-Origin-Cache"] == "miss"
    assert client.get("/page/a/")["X-Origin-Cache"] == "hit"
    assert "Origin cache available again" in caplog.text


def test_a_hung_redis_costs_one_timeout_then_is_stepped_around(client, pages, own_redis):
    process, _ = own_redis
    client.get("/page/a/")
    os.kill(process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        for _ in range(10):
            assert client.get("/page/a/").status_code == 200
        # One socket timeout (0.3 s), not ten.
        assert time.monotonic() - started < 2
    finally:
        os.kill(process.pid, signal.SIGCONT)
