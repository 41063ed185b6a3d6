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


def test_page_lookups_survive_a_broken_connection():
    """articles.caching reads page versions on a connection of its own; when that connection
    fails, the same read goes through the client and a new connection is made next time."""
    import redis

    from articles import caching

    caching.site_cache_bump()
    version = caching.site_cache_version()
    assert caching.page_versions()[1] == version
    pool = caches["default"]._cache.get_client().connection_pool
    caching._held.conn = redis.Connection(host="127.0.0.1", port=1, socket_connect_timeout=0.2)

    assert caching.page_versions()[1] == version
    assert caching._held.conn is None
    assert caching.page_versions()[1] == version
    assert caching._held.conn is not None and caching._held.pool is pool
