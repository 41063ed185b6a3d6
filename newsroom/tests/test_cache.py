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
