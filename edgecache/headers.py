"""Response helpers: a public document any shared cache may hold, or a private one.

A public response says what it shows with keys (``article:12``, ``home``...): Varnish reads them
from ``xkey``, Fastly from ``Surrogate-Key``, Cloudflare from ``Cache-Tag``, and the origin cache
from the mark left on the response. A purge of any of its keys makes every cache drop it.
"""

import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.cache import set_response_etag
from django.utils.http import http_date

KEY_PATTERN = re.compile(r"[a-z0-9:_-]{1,100}")
# Varnish's default limit for one response header is 8 kB; Cloudflare's Cache-Tag is 16 kB.
MAX_KEYS_HEADER_LENGTH = 7000
PRIVATE_CACHE_CONTROL = "private, no-store"
KEY_HEADERS = ("xkey", "Surrogate-Key", "Cache-Tag")


@dataclass(frozen=True, slots=True)
class Public:
    """What cache_public() decided for a response; the origin cache stores by it."""

    keys: tuple[str, ...]
    browser_max_age: int
    shared_max_age: int


def normalize_keys(keys) -> tuple[str, ...]:
    """The keys in order, once each; ValueError for anything that is not a valid key."""
    if isinstance(keys, str):
        raise TypeError("keys is a list of keys, not one string")
    unique = tuple(dict.fromkeys(keys))
    for key in unique:
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
            raise ValueError(f"invalid cache key {key!r}: use 1-100 characters of [a-z0-9:_-]")
    if len(" ".join(unique)) > MAX_KEYS_HEADER_LENGTH:
        raise ValueError(f"{len(unique)} cache keys are too many for one response header")
    return unique


def cache_control(browser_max_age: int, shared_max_age: int) -> str:
    return (
        f"public, max-age={browser_max_age}, s-maxage={shared_max_age}, "
        f"stale-while-revalidate={settings.EDGECACHE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.EDGECACHE_STALE_IF_ERROR}"
    )


def cache_public(response, *, keys, browser_max_age=None, shared_max_age=None):
    """Make ``response`` a public document: the same bytes for every anonymous reader, held by
    browsers for a short while and by shared caches until one of ``keys`` is purged."""
    keys = normalize_keys(keys)
    browser = settings.EDGECACHE_BROWSER_MAX_AGE if browser_max_age is None else browser_max_age
    shared = settings.EDGECACHE_SHARED_MAX_AGE if shared_max_age is None else shared_max_age
    browser, shared = max(0, int(browser)), max(0, int(shared))
    response["Cache-Control"] = cache_control(min(browser, shared), shared)
    for header in KEY_HEADERS:
        del response[header]
    if keys:
        response["xkey"] = " ".join(keys)
        if settings.EDGECACHE_SURROGATE_KEY_HEADER:
            response["Surrogate-Key"] = " ".join(keys)
        if settings.EDGECACHE_CACHE_TAG_HEADER:
            response["Cache-Tag"] = ",".join(keys)
    # Nothing a reader sends changes the bytes; compression is the only thing that may.
    response["Vary"] = "Accept-Encoding"
    response.cookies.clear()
    if not response.streaming:
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(time.time())
    response.edgecache_public = Public(keys=keys, browser_max_age=browser, shared_max_age=shared)
    return response


def cache_private(response):
    """For one reader only, and never stored anywhere: previews, the admin, per-reader values."""
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    for header in KEY_HEADERS:
        del response[header]
    response.edgecache_public = None
    return response


def public_of(response) -> Public | None:
    return getattr(response, "edgecache_public", None)
