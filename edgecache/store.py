"""Where the origin cache keeps pages and the version of every key, on any Django cache backend
(Redis in production, the file cache of ``make run``, shared by the web process and the worker).

A stored page carries the version each of its keys had when it was rendered; it is fresh while
every one of them is still current and its shared max-age has not run out. A purge gives each
purged key a new version, so the pages showing it are stale at once, in every process, without
knowing which pages they are. Versions are compared for equality, never by clock: a version
read before a render started is the one stored with the page.

Every call goes through a circuit breaker: when the backend fails (Redis down or slow), the
origin cache steps aside for a few seconds and pages are rendered from the database; the first
failure of an outage is logged, not each request's.
"""

import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

# The number is the stored format's: a change of format reads none of the older entries.
ENTRY_PREFIX = "ec:e1:"
VERSION_PREFIX = "ec:v:"
HARD_PREFIX = "ec:h:"
LOCK_PREFIX = "ec:l:"
DONE_PREFIX = "ec:d:"
# A version set within this many seconds before a render started may have been set during it
# (clocks of two hosts differ a little): a page rendered then is stored stale.
CLOCK_MARGIN_SECONDS = 1.0


class Unavailable(Exception):
    """The cache backend failed or the breaker is open: go on without the origin cache."""


def new_version() -> int:
    """A purge's version: its wall-clock time in ns (how stale a page is follows from it),
    with random low digits so that two hosts never make the same one."""
    return time.time_ns() // 1000 * 1000 + secrets.randbelow(1000)


def first_version() -> int:
    """The version of a key nobody has purged (or whose version the backend evicted):
    negative, so it never reads as a purge, and unique, so no older page matches it."""
    return -new_version()


def version_seconds(version: int | None) -> float | None:
    """When a purge set this version (None when it was not a purge)."""
    return version / 1e9 if version and version > 0 else None


@dataclass(slots=True)
class Entry:
    stored_at: float
    shared_max_age: int
    browser_max_age: int
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    keys: tuple[str, ...]
    versions: tuple[int, ...]
    hard_versions: tuple[int, ...]
    includes: tuple[str, ...]

    def dump(self) -> tuple:
        return (
            self.stored_at, self.shared_max_age, self.browser_max_age, self.status, self.headers,
            self.body,
            self.keys, self.versions, self.hard_versions, self.includes,
        )  # fmt: skip

    @classmethod
    def load(cls, value) -> "Entry | None":
        try:
            return cls(*value)
        except TypeError:
            return None

    def age(self, now: float) -> float:
        return max(0.0, now - self.stored_at)


@dataclass(slots=True)
class Found:
    """What one lookup told about a URL: the stored entry (if any), whether it is fresh, and
    the current version of every key read for it (to store a new render with)."""

    entry: Entry | None
    fresh: bool
    versions: dict[str, int | None] = field(default_factory=dict)

    def stale_since(self, now: float) -> float:
        """When the entry stopped being fresh: the earliest purge of one of its keys after it
        was stored, or the end of its shared max-age."""
        entry = self.entry
        times = [entry.stored_at + entry.shared_max_age]
        for key, stored in zip(entry.keys, entry.versions, strict=True):
            current = self.versions.get(key)
            if current != stored:
                times.append(version_seconds(current) or now)
        return min(times)


def entry_key(url: str) -> str:
    return ENTRY_PREFIX + hashlib.sha256(url.encode()).hexdigest()[:40]


class Store:
    """The origin cache's reads and writes; one per process (``store`` below)."""

    def __init__(self):
        self._open_until = 0.0
        self._down = False
        self._lock = threading.Lock()
        # URL -> the keys its page showed last time, so one round trip brings the page and
        # the versions it needs. Bounded: a news site's hot URLs are few.
        self._known: OrderedDict[str, tuple[str, ...]] = OrderedDict()

    # -- the breaker --------------------------------------------------------------------
    @property
    def backend(self):
        backend = caches[settings.EDGECACHE_CACHE]
        # The Redis backend drops failures silently (newsroom/cache.py); the store has its own
        # fallback and must see them.
        return getattr(backend, "strict", backend)

    def _call(self, method: str, *args, **kwargs):
        if time.monotonic() < self._open_until:
            raise Unavailable("the origin cache is stepping aside after a failure")
        try:
            result = getattr(self.backend, method)(*args, **kwargs)
        except Exception as exc:
            self._open_until = time.monotonic() + settings.EDGECACHE_STORE_RETRY_SECONDS
            if not self._down:
                self._down = True
                logger.warning(
                    "Origin cache unavailable: serving pages without it",
                    extra={"cache": settings.EDGECACHE_CACHE, "error": repr(exc)},
                )
            raise Unavailable(str(exc)) from exc
        if self._down:
            self._down = False
            logger.info("Origin cache available again", extra={"cache": settings.EDGECACHE_CACHE})
        return result

    def reset(self) -> None:
        """Forget the breaker and the known keys (tests; a changed cache setting)."""
        self._open_until, self._down = 0.0, False
        self._known.clear()

    # -- lookups ------------------------------------------------------------------------
    def _remember(self, url: str, keys: tuple[str, ...]) -> None:
        with self._lock:
            self._known[url] = keys
            self._known.move_to_end(url)
            while len(self._known) > settings.EDGECACHE_KNOWN_URLS:
                self._known.popitem(last=False)

    def lookup(self, urls: list[str]) -> dict[str, Found]:
        """Each URL's stored entry and the current versions of its keys, in one round trip
        when this process has seen the URL's keys before (two otherwise)."""
        now = time.time()
        entry_keys = {url: entry_key(url) for url in urls}
        guessed = {key for url in urls for key in self._known.get(url, ())}
        asked = set(guessed)
        got = self._call(
            "get_many", [*entry_keys.values(), *(VERSION_PREFIX + key for key in guessed)]
        )
        entries = {url: Entry.load(got.get(entry_keys[url])) for url in urls}
        missing = {
            key
            for entry in entries.values()
            if entry is not None
            for key in entry.keys
            if key not in asked
        }
        if missing:
            got.update(self._call("get_many", [VERSION_PREFIX + key for key in missing]))
            asked |= missing
        versions = {key: got.get(VERSION_PREFIX + key) for key in asked}
        found = {}
        for url, entry in entries.items():
            if entry is None:
                known = {key: versions[key] for key in self._known.get(url, ())}
                found[url] = Found(entry=None, fresh=False, versions=known)
                continue
            self._remember(url, entry.keys)
            current = {key: versions.get(key) for key in entry.keys}
            fresh = now < entry.stored_at + entry.shared_max_age and all(
                current[key] == stored
                for key, stored in zip(entry.keys, entry.versions, strict=True)
            )
            found[url] = Found(entry=entry, fresh=fresh, versions=current)
        return found

    def hard_purged_since(self, entry: Entry) -> bool:
        """Whether one of the entry's keys had a hard purge after it was stored: such a page
        must never be served again, not even stale."""
        got = self._call("get_many", [HARD_PREFIX + key for key in entry.keys])
        return any(
            got.get(HARD_PREFIX + key) != stored
            for key, stored in zip(entry.keys, entry.hard_versions, strict=True)
        )

    # -- writes -------------------------------------------------------------------------
    def _current_or_first(self, prefix: str, keys, got: dict) -> dict[str, int]:
        """Versions of ``keys`` from ``got``, starting those the backend does not have."""
        values = {}
        for key in keys:
            value = got.get(prefix + key)
            if value is None:
                value = first_version()
                if not self._call("add", prefix + key, value, timeout=None):
                    value = self._call("get", prefix + key) or value
            values[key] = value
        return values

    def save(
        self,
        url: str,
        *,
        entry: Entry,
        known_versions: dict[str, int | None],
        started_at: float,
        timeout: int,
    ) -> None:
        """Store a render that started at ``started_at`` (wall clock). Versions read before it
        started are used as they are; the others are read now, and a purge that may have
        happened during the render leaves the page stored stale, to be rendered again."""
        need = [key for key in entry.keys if known_versions.get(key) is None]
        got = self._call(
            "get_many",
            [*(VERSION_PREFIX + key for key in need), *(HARD_PREFIX + key for key in entry.keys)],
        )
        late = self._current_or_first(VERSION_PREFIX, need, got)
        hard = self._current_or_first(HARD_PREFIX, entry.keys, got)

        def settled(value: int) -> int:
            purged_at = version_seconds(value)
            racing = purged_at is not None and purged_at > started_at - CLOCK_MARGIN_SECONDS
            return 0 if racing else value

        entry.versions = tuple(
            known_versions[key] if known_versions.get(key) is not None else settled(late[key])
            for key in entry.keys
        )
        entry.hard_versions = tuple(settled(hard[key]) for key in entry.keys)
        self._call("set", entry_key(url), entry.dump(), timeout=timeout)
        self._remember(url, entry.keys)

    def bump(self, keys, *, hard: bool = False) -> None:
        """Purge: a new version for every key (and a new hard version for a hard purge)."""
        version = new_version()
        values = {VERSION_PREFIX + key: version for key in keys}
        if hard:
            values.update({HARD_PREFIX + key: version for key in keys})
        failed = self._call("set_many", values, timeout=None)
        if failed:
            raise Unavailable(f"the cache did not store {len(failed)} versions")

    def mark_done(self, event_id: int) -> None:
        self._call("set", f"{DONE_PREFIX}{event_id}", 1, timeout=3600)

    def is_done(self, event_id: int) -> bool:
        return bool(self._call("get", f"{DONE_PREFIX}{event_id}"))

    # -- single flight across processes --------------------------------------------------
    def lock(self, url: str) -> str | None:
        """Take the right to render ``url``: a token, or None when another process has it."""
        token = secrets.token_hex(8)
        if self._call("add", LOCK_PREFIX + entry_key(url), token, settings.EDGECACHE_LOCK_SECONDS):
            return token
        return None

    def unlock(self, url: str, token: str) -> None:
        key = LOCK_PREFIX + entry_key(url)
        if self._call("get", key) == token:
            self._call("delete", key)

    def locked(self, url: str) -> bool:
        return self._call("get", LOCK_PREFIX + entry_key(url)) is not None


store = Store()
