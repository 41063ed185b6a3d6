"""Versions the API's response cache keys embed (api/responsecache.py, api/selectors.py), so
its invalidation is correct by construction: an article's version and a site-wide version.
Changing something bumps a version; stale entries are never read again and simply expire.

Only the API reads them: the reader pages are public documents purged by key (edgecache).
"""

import os
import threading
import time

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

SITE_KEY = "pagever:site"


def _article_key(article_id: int) -> str:
    return f"pagever:article:{article_id}"


def _read(key: str) -> int:
    value = cache.get(key)
    return value if value is not None else _first_version(key)


def _first_version(key: str) -> int:
    """A version nobody has set yet (the MGET just found none): start it, keeping a concurrent
    writer's value if it got there first."""
    value = time.time_ns()
    if cache.add(key, value, timeout=None):
        return value
    return cache.get(key, value)


def article_cache_version(article_id: int) -> int:
    return _read(_article_key(article_id))


def site_cache_version() -> int:
    return _read(SITE_KEY)


def article_cache_bump(article_id: int) -> None:
    """Something on this article's page changed (the article, its comments, its authors)."""
    cache.set(_article_key(article_id), time.time_ns(), timeout=None)


def site_cache_bump() -> None:
    """Something every page may show changed (latest articles, navigation, site settings)."""
    cache.set(SITE_KEY, time.time_ns(), timeout=None)


def article_cache_bump_many(article_ids) -> None:
    """Several articles' pages changed at once (e.g. an author's bio), in one round trip."""
    now = time.time_ns()
    cache.set_many({_article_key(pk): now for pk in article_ids}, timeout=None)


def page_versions(
    article_id: int | None = None, *, also: tuple[str, ...] = ()
) -> tuple[int | None, int, dict]:
    """The article's and the site's versions, and any other cache keys in ``also``, in one
    round trip: (article version or None, site version, {key: value or None})."""
    article_key = _article_key(article_id) if article_id is not None else None
    keys = [SITE_KEY, *also] + ([article_key] if article_key else [])
    found = _get_many(keys)
    site = found.get(SITE_KEY) or _first_version(SITE_KEY)
    article = None
    if article_key:
        article = found.get(article_key) or _first_version(article_key)
    return article, site, {key: found.get(key) for key in also}


def _get_many(keys: list[str]) -> dict:
    """cache.get_many() for our own keys: on Redis, one MGET without Django's per-character key
    validation (these keys are short and ASCII); other backends go through Django."""
    backend = caches["default"]
    breaker = getattr(backend, "breaker", None)  # newsroom/cache.py's
    if not isinstance(backend, RedisCache) or breaker is None or not breaker.usable():
        return backend.get_many(keys)  # while Redis is failing: a miss, at once
    client = backend._cache.get_client(write=False)  # one per process (newsroom/cache.py)
    try:
        values = _mget(client, [backend.make_key(key) for key in keys])
    except RedisError as exc:
        breaker.failed(exc)
        return {}
    loads = backend._cache._serializer.loads
    return {key: loads(value) for key, value in zip(keys, values, strict=True) if value is not None}


_held = threading.local()


def _mget(client, keys: list[str]) -> list:
    """MGET on a connection each thread keeps for itself: the same command, without the
    connection pool's checkout, retry and metrics wrapping around every call (a third of the
    time a page-cache hit spends on its round trip). A broken connection is dropped and the
    command goes through the client, with its own retries."""
    pool = client.connection_pool
    conn = getattr(_held, "conn", None)
    if conn is None or _held.pool is not pool or _held.pid != os.getpid():
        conn = pool.make_connection()
        _held.conn, _held.pool, _held.pid = conn, pool, os.getpid()
    try:
        conn.send_command("MGET", *keys)
        return conn.read_response()
    except (RedisConnectionError, RedisTimeoutError):
        conn.disconnect()
        _held.conn = None
        return client.mget(keys)
