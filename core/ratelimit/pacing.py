"""Pacing: a rate shared by every worker (messages per second to a provider), a token bucket.

Providers cap sending per account, not per worker, so the bucket lives in Redis and one Lua
script refills and takes tokens atomically, using Redis' own clock. A caller takes a small batch
of tokens at a time (about 50 ms worth) to keep Redis round trips far below one per message.
Without Redis (the embedded development setup), or once Redis fails, each process keeps its own
bucket at the full rate.
"""

import logging
import math
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)


# KEYS[1] bucket; ARGV rate (tokens/s), burst (bucket size), wanted.
# Returns {granted, wait in milliseconds until one token is there}.
TAKE_SCRIPT = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil then tokens = burst; ts = now end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local granted = math.min(wanted, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 60000)
local wait = 0
if granted == 0 then wait = math.ceil((1 - tokens) / rate * 1000) end
return {granted, wait}
"""


class LocalBucket:
    """The same bucket in process memory (no Redis)."""

    def __init__(self, rate: float, burst: float):
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.stamp = time.monotonic()
        self.lock = threading.Lock()

    def take(self, wanted: int) -> tuple[int, float]:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            granted = min(wanted, math.floor(self.tokens))
            self.tokens -= granted
            wait = 0.0 if granted else (1 - self.tokens) / self.rate
            return granted, wait


class RedisBucket:
    def __init__(self, url: str, *, name: str, rate: float, burst: float):
        import redis

        self.rate = rate
        self.burst = burst
        # One bucket per instance sharing the Redis server (same prefix as the cache).
        prefix = settings.CACHES["default"].get("KEY_PREFIX") or "newsroom"
        self.key = f"{prefix}:{name}"
        self.client = redis.Redis.from_url(
            url, socket_timeout=settings.REDIS_SOCKET_TIMEOUT * 4, socket_connect_timeout=2
        )
        self.script = self.client.register_script(TAKE_SCRIPT)

    def take(self, wanted: int) -> tuple[int, float]:
        granted, wait_ms = self.script(keys=[self.key], args=[self.rate, self.burst, wanted])
        return int(granted), int(wait_ms) / 1000


class Pacer:
    """``acquire()`` blocks until this process may do one more paced thing."""

    def __init__(self, rate: float, *, name: str, burst: float | None = None, redis_url: str = ""):
        self.rate = rate
        self.burst = max(1.0, burst if burst is not None else rate)
        self.batch = max(1, int(rate / 20))
        self.available = 0
        self.local = LocalBucket(rate, self.burst)
        self.remote = (
            RedisBucket(redis_url, name=name, rate=rate, burst=self.burst) if redis_url else None
        )

    def _take(self, wanted: int) -> tuple[int, float]:
        if self.remote is not None:
            try:
                return self.remote.take(wanted)
            except Exception:  # Redis down: keep going, at the local rate
                logger.warning("Pacing: Redis unavailable, using a local bucket", exc_info=True)
                self.remote = None
        return self.local.take(wanted)

    def acquire(self) -> None:
        while self.available == 0:
            granted, wait = self._take(self.batch)
            self.available = granted
            if not granted:
                time.sleep(max(wait, 0.001))
        self.available -= 1


class NoLimit:
    def acquire(self) -> None:
        return None


def pacer(rate: float, *, name: str) -> Pacer | NoLimit:
    """A pacer at ``rate`` per second for every process together (Redis when REDIS_URL is
    set); no pacing for a rate of 0."""
    if not rate or rate <= 0:
        return NoLimit()
    return Pacer(rate, name=name, redis_url=settings.REDIS_URL)
