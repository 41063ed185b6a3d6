"""The Redis cache backend keeps one client per process (newsroom/cache.py)."""

import os

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.usefixtures("redis_required")


def test_cache_calls_share_one_client_and_still_work():
    backend = caches["default"]
    client = backend._cache.get_client(write=False)

    backend.set("reuse-check", {"a": 1})
    assert backend.get("reuse-check") == {"a": 1}
    assert backend.get_many(["reuse-check", "missing"]) == {"reuse-check": {"a": 1}}
    assert backend._cache.get_client(write=True) is client  # one server: one pool, one client


def test_a_forked_process_builds_its_own_client(monkeypatch):
    backend = caches["default"]
    inherited = backend._cache.get_client()
    monkeypatch.setattr(os, "getpid", lambda: -1)  # as in a worker forked after first use
    fresh = backend._cache.get_client()
    assert fresh is not inherited
    backend.set("after-fork", 5)
    assert backend.get("after-fork") == 5


# ---------------------------------------------------------------------------
# When Redis stops or hangs: reads miss, writes are dropped, counters raise, and a hung server
# costs one timeout per REDIS_RETRY_SECONDS, not one per call.
# ---------------------------------------------------------------------------
def test_a_stopped_redis_reads_as_misses_and_drops_writes(cache_on_own_redis, caplog):
    from redis.exceptions import RedisError

    backend = caches["default"]
    backend.set("kept", 1)
    cache_on_own_redis.stop()

    assert backend.get("kept") is None
    assert backend.get("kept", "fallback") == "fallback"
    assert backend.get_many(["kept", "other"]) == {}
    assert backend.has_key("kept") is False
    assert backend.add("new", 1) is False
    assert backend.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert backend.get_or_set("computed", 7) == 7
    backend.set("dropped", 1)
    backend.delete("kept")
    backend.delete_many(["a", "b"])
    with pytest.raises(RedisError):
        backend.incr("counter")  # a rate limit must know its count is gone
    with pytest.raises(RedisError):
        backend.strict.get("kept")  # for callers with a fallback of their own
    assert caplog.text.count("Cache unavailable") == 1


def test_a_paused_redis_costs_one_timeout_then_calls_skip_it(cache_on_own_redis, settings):
    import time

    settings.REDIS_RETRY_SECONDS = 1
    backend = caches["default"]
    backend.set("kept", 1)
    cache_on_own_redis.pause()
    try:
        started = time.monotonic()
        for _ in range(20):
            assert backend.get("kept") is None
            backend.set("kept", 2)
        # One socket timeout (REDIS_SOCKET_TIMEOUT), not forty.
        assert time.monotonic() - started < settings.REDIS_SOCKET_TIMEOUT * 3
    finally:
        cache_on_own_redis.resume()
    time.sleep(1.05)
    assert backend.get("kept") == 1  # the writes of the pause were dropped, not queued
    backend.set("kept", 3)
    assert backend.get("kept") == 3


def test_the_cache_is_used_again_once_redis_is_back(cache_on_own_redis, settings, caplog):
    import time

    settings.REDIS_RETRY_SECONDS = 0.2
    backend = caches["default"]
    cache_on_own_redis.stop()
    assert backend.get("x") is None
    cache_on_own_redis.start()
    time.sleep(0.25)
    backend.set("x", "back")
    assert backend.get("x") == "back"
    assert "Cache available again" in caplog.text
