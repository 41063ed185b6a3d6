"""Fixed-window counters shared by every web process: in the cache (Redis in production), and in
PostgreSQL while the cache is unreachable, so limits keep holding through a Redis outage.

``cache.add`` creates a window's counter with its expiry only if it is missing and ``cache.incr``
increments it atomically in Redis. When the cache raises (refused, timed out), the same windows
are counted in the database (``store``) and the cache is left alone for a few seconds, so an
outage costs one failed call per process, not one per request. Keys carry a keyed hash of the
identity, never an email or IP address.
"""

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

from ..clients import keyed_hash
from ..errors import RateLimited, wait_text
from . import store

logger = logging.getLogger(__name__)

# After a cache failure, count in the database this long before trying the cache again.
CACHE_RETRY_SECONDS = 5.0
# What the cache raises when its server is gone or slow (redis-py; OSError from the file cache).
CACHE_ERRORS = (RedisError, OSError)


@dataclass(frozen=True)
class Limit:
    """At most ``count`` events per window of ``seconds``."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, value) -> "Limit":
        """A Limit from "5/60" (the environment's form), (5, 60) or a Limit."""
        if isinstance(value, Limit):
            return value
        if isinstance(value, str):
            count, _, seconds = value.partition("/")
            value = (count, seconds)
        try:
            count, seconds = (int(part) for part in value)
        except (TypeError, ValueError):
            raise ValueError(f"bad rate limit {value!r}: use count/seconds, e.g. 5/60") from None
        if count < 1 or seconds < 1:
            raise ValueError(f"bad rate limit {value!r}: count and seconds must be positive")
        return cls(count, seconds)


def parse_limits(values) -> tuple[Limit, ...]:
    return tuple(Limit.parse(value) for value in values)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0


class _CacheHealth:
    """Per process and cache server: is the cache worth trying now?"""

    def __init__(self):
        self._down_until: dict[str, float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _server() -> str:
        return str(settings.CACHES["default"].get("LOCATION", ""))

    def usable(self) -> bool:
        return self._down_until.get(self._server(), 0.0) <= time.monotonic()

    def failed(self) -> None:
        with self._lock:
            self._down_until[self._server()] = time.monotonic() + CACHE_RETRY_SECONDS

    def reset(self) -> None:
        with self._lock:
            self._down_until.clear()


cache_health = _CacheHealth()


def _cache_increment(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:
        # Expired between add and incr: this is the first hit of a fresh window.
        cache.add(key, 1, timeout=timeout)
        return 1


def _increment(counters: list[tuple[str, int]], now: float) -> list[int]:
    """One more event in each (key, window end as a Unix time) counter; the new totals."""
    if cache_health.usable():
        try:
            return [_cache_increment(key, int(end - now) + 1) for key, end in counters]
        except CACHE_ERRORS as exc:
            cache_health.failed()
            logger.warning(
                "Rate limits: the cache is unreachable, counting in the database",
                extra={"error": repr(exc)},
            )
    return store.increment(counters)


def _key(scope: str, seconds: int, window: int, identity: str) -> str:
    # Keys never carry the identity itself (an email or an IP address) into the cache.
    digest = keyed_hash("core.ratelimit", identity)[:32]
    return f"rl:{scope}:{seconds}:{window}:{digest}"


def hit(scope: str, identity: str, limits, *, now: float | None = None) -> Verdict:
    """Count one attempt by ``identity`` in ``scope`` against every limit's current window.

    Refused when any window is over its limit; ``retry_after`` is the longest wait until every
    such window has ended.
    """
    now = time.time() if now is None else now
    limits = parse_limits(limits)
    counters = []
    for limit in limits:
        window = int(now // limit.seconds)
        end = (window + 1) * limit.seconds
        counters.append((_key(scope, limit.seconds, window, identity), end))
    totals = _increment(counters, now)
    retry_after = 0
    for limit, (_, end), total in zip(limits, counters, totals, strict=True):
        if total > limit.count:
            retry_after = max(retry_after, int(end - now) + 1)
    return Verdict(allowed=retry_after == 0, retry_after=retry_after)


def enforce(
    scope: str, identity: str, limits, *, message: str | None = None, now: float | None = None
) -> None:
    """``hit``, raising RateLimited (429 with Retry-After) when refused. ``message`` may name
    the wait with ``{wait}``."""
    if not identity:
        return
    verdict = hit(scope, identity, limits, now=now)
    if not verdict.allowed:
        text = message.format(wait=wait_text(verdict.retry_after)) if message else None
        raise RateLimited(text, retry_after=verdict.retry_after)


def count(scope: str, identity: str, seconds: int, *, now: float | None = None) -> int:
    """Count one event in the current window of ``seconds`` and return the window's total (for
    guards that react to a surge rather than refuse one client)."""
    now = time.time() if now is None else now
    window = int(now // seconds)
    end = (window + 1) * seconds
    return _increment([(_key(scope, seconds, window, identity), end)], now)[0]
