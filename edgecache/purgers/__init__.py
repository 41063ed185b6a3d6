"""Purgers: each tells one cache to drop what shows the purged keys, behind one small interface.

``EDGECACHE_PURGERS`` names them, inner caches first (the origin cache always runs first, so a
cache that refetches right after its purge never gets the old copy from the one behind it):
``origin``, ``varnish``, ``fastly``, ``cloudflare``, ``cloudfront``, or the dotted path of a
class of your own. A purger raises PurgeError when the cache did not take the purge; the outbox
then retries it with backoff (after ``retry_after`` seconds at the soonest, when the cache said).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

BUILTIN = {
    "origin": "edgecache.purgers.origin.OriginPurger",
    "varnish": "edgecache.purgers.varnish.VarnishPurger",
    "fastly": "edgecache.purgers.fastly.FastlyPurger",
    "cloudflare": "edgecache.purgers.cloudflare.CloudflarePurger",
    "cloudfront": "edgecache.purgers.cloudfront.CloudFrontPurger",
}


@dataclass(frozen=True, slots=True)
class PurgeRequest:
    keys: tuple[str, ...]
    # For caches that purge by path only (CloudFront).
    paths: tuple[str, ...]
    # Never serve the old copy again, not even stale (a withdrawn article).
    hard: bool
    event_id: int | None = None


class PurgeError(Exception):
    """A cache did not take a purge; ``retry_after`` is the wait it asked for, in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, response=None):
        super().__init__(message)
        self.retry_after = retry_after
        # The HTTP answer, when there was one.
        self.response = response


class Purger:
    name = ""
    # Settings that must not be empty for this purger to work.
    required_settings: tuple[str, ...] = ()

    def purge(self, request: PurgeRequest) -> None:
        raise NotImplementedError

    def problems(self) -> list[str]:
        """What is missing from the settings for this purger to work (system checks)."""
        return [f"set {name}" for name in self.required_settings if not getattr(settings, name)]


def purger_names() -> list[str]:
    names = list(dict.fromkeys(settings.EDGECACHE_PURGERS))
    if "origin" in names:
        names.remove("origin")
        names.insert(0, "origin")
    return names


def configured(only: list[str] | None = None) -> list[Purger]:
    """The configured purgers in order, or those of them named in ``only``."""
    names = [name for name in purger_names() if only is None or name in only]
    purgers = []
    for name in names:
        purger = import_string(BUILTIN.get(name, name))()
        purger.name = purger.name or name
        purgers.append(purger)
    return purgers
