"""The Redis cache backend: a cache that degrades instead of failing, and one client per process.

Redis goes away (a restart, a failover, a pause of seconds). The site must then cost speed, not
availability, so this backend treats the cache as what it is, an optimisation:

- Reads (get, get_many, has_key) answer a miss; writes (set, add, delete, touch...) are dropped.
  Nothing that reads through the cache raises, so pages and API reads render from PostgreSQL.
- Counters (incr, decr) and clear() still raise: a rate limit must know its count is gone
  (core.ratelimit then counts in PostgreSQL).
- After a failure, calls skip Redis for REDIS_RETRY_SECONDS in this process (a circuit breaker):
  a hung server costs one socket timeout (REDIS_SOCKET_TIMEOUT) per process and interval, not one
  per call. The first failure of an outage and the recovery are logged once each.
- ``backend.strict`` is the same cache raising every error (CacheUnavailable while the breaker is
  open), for callers with their own fallback (the origin cache's store).

Django's backend also builds a new redis.Redis client object for every call, which costs more
than the round trip it makes (figures in docs/performance.md, "Library internals"); here each
process keeps one client per connection pool (redis-py clients are thread-safe and the pools are
Django's own). Django offers no public hook for that: ``ReusingRedisCacheClient`` is the one
place that relies on its backend's private parts (the ``_class`` a backend builds its client
with, and ``_get_connection_pool_index``), and newsroom/tests/test_cache_contract.py fails on
the Django upgrade that changes them.
"""

import logging
import os
import re
import threading
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class CacheUnavailable(RedisConnectionError):
    """Redis failed a moment ago: this process is not asking it again yet."""


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, handing out one redis.Redis per connection pool and process."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, tuple[int, object]] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        pid = os.getpid()
        entry = self._clients.get(index)
        if entry is None or entry[0] != pid:  # none yet, or inherited across a fork
            entry = self._clients[index] = (pid, super().get_client(key, write=write))
        return entry[1]


class Breaker:
    """Per process and server (Django makes a backend object per thread, so the state lives
    here, shared by the threads): is Redis worth asking now?"""

    _states: dict[str, "Breaker"] = {}
    _states_lock = threading.Lock()

    def __init__(self, server: str):
        self.server = server
        self.open_until = 0.0
        self.down = False
        self.lock = threading.Lock()

    @classmethod
    def for_server(cls, server: str) -> "Breaker":
        with cls._states_lock:
            if server not in cls._states:
                cls._states[server] = cls(server)
            return cls._states[server]

    @classmethod
    def reset_all(cls) -> None:
        with cls._states_lock:
            cls._states.clear()

    def usable(self) -> bool:
        return time.monotonic() >= self.open_until

    def check(self) -> None:
        if not self.usable():
            raise CacheUnavailable(f"Redis at {self.server} failed; trying again shortly")

    def failed(self, exc: Exception) -> None:
        with self.lock:
            self.open_until = time.monotonic() + settings.REDIS_RETRY_SECONDS
            first = not self.down
            self.down = True
        if first:
            logger.warning(
                "Cache unavailable: serving without it",
                extra={"server": self.server, "error": repr(exc)},
            )

    def succeeded(self) -> None:
        if self.down:
            with self.lock:
                was_down, self.down = self.down, False
            if was_down:
                logger.info("Cache available again", extra={"server": self.server})


# What a backend call raises when the server is gone, slow or refusing (redis-py's errors;
# OSError for a socket error redis-py did not wrap).
FAILURES = (RedisError, OSError)


class StrictCache:
    """The backend's calls, raising every failure (see the module docstring)."""

    def __init__(self, backend: "RedisCache"):
        self._backend = backend

    def __getattr__(self, name):
        method = getattr(DjangoRedisCache, name)
        backend = self._backend

        def call(*args, **kwargs):
            return backend._guarded(method, *args, **kwargs)

        return call


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        servers = re.split("[;,]", server) if isinstance(server, str) else server  # LOCATION
        self.breaker = Breaker.for_server(",".join(servers))
        self.strict = StrictCache(self)

    def _guarded(self, method, *args, **kwargs):
        self.breaker.check()
        try:
            result = method(self, *args, **kwargs)
        except FAILURES as exc:
            self.breaker.failed(exc)
            raise
        self.breaker.succeeded()
        return result

    def _soft(self, method, fallback, *args, **kwargs):
        try:
            return self._guarded(method, *args, **kwargs)
        except FAILURES:
            return fallback

    def usable(self) -> bool:
        """False while the breaker keeps this process away from Redis."""
        return self.breaker.usable()

    # Reads: a miss.
    def get(self, key, default=None, version=None):
        return self._soft(DjangoRedisCache.get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._soft(DjangoRedisCache.get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._soft(DjangoRedisCache.has_key, False, key, version)

    # Writes: dropped (an added key counts as not added, a failed set_many names every key).
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._soft(DjangoRedisCache.set, None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(DjangoRedisCache.add, False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(DjangoRedisCache.set_many, list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(DjangoRedisCache.touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._soft(DjangoRedisCache.delete, False, key, version)

    def delete_many(self, keys, version=None):
        self._soft(DjangoRedisCache.delete_many, None, keys, version)

    # Counters and clear: raise.
    def incr(self, key, delta=1, version=None):
        return self._guarded(DjangoRedisCache.incr, key, delta, version)

    def clear(self):
        return self._guarded(DjangoRedisCache.clear)
