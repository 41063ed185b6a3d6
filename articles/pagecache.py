"""Whole-page cache for the article and home pages, right for every reader.

A page is stored with the stamp of what it shows: the article's version and the site's version
(articles/caching.py) and the newsroom's local date. It is served only while that stamp is the
current one, so a change bumps a version and the next request renders afresh; nothing is ever
deleted by hand.

Two things on a page must not be shared between readers or go stale inside a cached copy:
- the CSRF token of its forms: the page is rendered with a placeholder instead of a token, and
  each response gets the reader's own token (and its cookie) when served;
- the temperature in the top bar: a marker is swapped for the current reading when served, so
  a stale reading disappears without re-rendering anything.
"""

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import formatdate

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.http import parse_etags, parse_http_date_safe, quote_etag

from publication.selectors import weather_reading_is_fresh
from publication.services import WEATHER_CACHE_KEY

from .caching import page_versions

# Letters and digits only, so escaping leaves it intact wherever a template puts the token.
CSRF_PLACEHOLDER = "NEWSROOMCSRFPLACEHOLDERc0ffee4b1d"
# Nothing a reader or journalist writes can produce it: text is escaped, rich text sanitized.
WEATHER_MARKER = "<!--newsroom:weather-->"

# Other apps' per-response values (e.g. a signed form timestamp): name -> render(request, arg).
_late_values: dict[str, Callable] = {}
# Letters and digits only, so escaping leaves a token intact wherever a template puts it.
_LATE_TOKEN = re.compile(r"NEWSROOMLATE([a-z0-9]+)Q([A-Za-z0-9]*)Z")

CACHED_PAGE_CACHE_CONTROL = "private, no-cache"
UNCACHED_CACHE_CONTROL = "private, no-store"


@dataclass
class RenderedPage:
    """A page ready to store: its HTML with placeholders, the place its weather is for, and
    until when it may be served (earlier than the default when an ad's window ends)."""

    html: str
    weather_place: tuple | None
    expires_at: datetime | None = None


class _SlugIds:
    """slug -> article id, per process, so a cache hit needs no database query.

    A wrong or stale entry is harmless: the page key holds the path and the article version,
    and every change to an article (including deletion) bumps its version.
    """

    def __init__(self, size: int = 20_000):
        self.size = size
        self._data: OrderedDict[str, int] = OrderedDict()

    def get(self, slug: str) -> int | None:
        return self._data.get(slug)

    def set(self, slug: str, article_id: int) -> None:
        self._data[slug] = article_id
        if len(self._data) > self.size:
            self._data.popitem(last=False)

    def clear(self) -> None:
        self._data.clear()


slug_ids = _SlugIds()


def weather_html(reading: dict | None, place: tuple | None, now: float | None = None) -> str:
    """The temperature for the top bar, or nothing when missing, stale or for another place."""
    if not reading or place is None:
        return ""
    city, latitude, longitude = place
    if not weather_reading_is_fresh(reading, latitude=latitude, longitude=longitude, now=now):
        return ""
    value = reading["temperature"] + 0.0  # no "-0.0"
    return format_html(
        '<span class="topbar__weather"><span class="topbar__city">{}</span> '
        '<span class="topbar__temp">{} {}</span></span>',
        city,
        f"{value:.1f}",
        reading.get("unit", "°C"),
    )


def register_late_value(name: str, render: Callable) -> None:
    """Have ``{% late_value name arg %}`` in a cached page replaced by ``render(request, arg)``
    in every response, for values that must not be shared between readers or frozen in a
    cached copy, such as a signed form timestamp. ``render`` gets ``arg`` as a string and must
    return text that is safe where the tag stands (it is not escaped again)."""
    if not re.fullmatch(r"[a-z0-9]+", name):
        raise ValueError("a late value name is lowercase letters and digits")
    _late_values[name] = render


def late_value_token(name: str, arg: object = "") -> str:
    arg = str(arg)
    if name not in _late_values or not re.fullmatch(r"[A-Za-z0-9]*", arg):
        raise ValueError(f"unknown late value {name!r} or an argument that is not alphanumeric")
    return f"NEWSROOMLATE{name}Q{arg}Z"


def finalize(request, page: RenderedPage, reading: dict | None) -> str:
    """Swap the placeholders for this reader's CSRF token, late values and the temperature."""
    html = page.html
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    if "NEWSROOMLATE" in html:
        html = _LATE_TOKEN.sub(lambda m: _late_values[m[1]](request, m[2]), html)
    return html.replace(WEATHER_MARKER, weather_html(reading, page.weather_place), 1)


def _local_midnight() -> float:
    now = timezone.localtime()
    return now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def _not_modified(request, etag: str, last_modified: float) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        tags = parse_etags(if_none_match)
        return "*" in tags or etag in tags or etag.removeprefix("W/") in tags
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and int(last_modified) <= since


def serve(
    request,
    *,
    kind: str,
    ident: str,
    article_id: int | None,
    build: Callable[[int], "RenderedPage | HttpResponse"],
) -> HttpResponse:
    """Answer from the page cache, rendering with ``build(site_version)`` on a miss.

    ``build`` returns a RenderedPage to store and serve, or an HttpResponse (a redirect, a 404)
    that is returned as it is and never stored.

    One cache round trip on a hit: the stored entry, the article and site versions and the
    weather reading come in a single MGET. The entry carries the stamp it was rendered under
    (article version, site version, local date) and is served only while that stamp is
    current, which is the same as keying it by those versions, at half the round trips.
    """
    entry_key = f"page:{kind}:{ident}:{article_id or 0}"
    article_ver, site_ver, extra = page_versions(article_id, also=(entry_key, WEATHER_CACHE_KEY))
    reading = extra[WEATHER_CACHE_KEY]
    stamp = (article_ver or 0, site_ver, timezone.localdate().isoformat())

    # The reader's CSRF secret is part of the validator: a page kept by a browser carries the
    # token for the cookie it had, and must not be reused under another one.
    get_token(request)
    csrf_secret = request.META.get("CSRF_COOKIE", "")
    weather_at = reading.get("fetched_at", 0) if reading else 0
    digest = hashlib.sha256(f"{entry_key}|{stamp}|{weather_at}|{csrf_secret}".encode()).hexdigest()[
        :32
    ]
    etag = quote_etag(digest)
    last_modified = max(stamp[0] / 1e9, site_ver / 1e9, _local_midnight(), float(weather_at))

    if _not_modified(request, etag, last_modified):
        return _headers(HttpResponseNotModified(), etag, last_modified)

    entry = extra[entry_key]
    if entry is not None and entry[0] == stamp:
        page = entry[1]
    else:
        built = build(site_ver)
        if isinstance(built, HttpResponse):
            return built
        page = built
        timeout = settings.PAGE_CACHE_TIMEOUT
        if page.expires_at is not None:
            timeout = max(1, min(timeout, int((page.expires_at - timezone.now()).total_seconds())))
        cache.set(entry_key, (stamp, page), timeout=timeout)
    response = HttpResponse(finalize(request, page, reading))
    return _headers(response, etag, last_modified)


def _headers(response: HttpResponse, etag: str, last_modified: float) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = formatdate(last_modified, usegmt=True)
    response["Cache-Control"] = CACHED_PAGE_CACHE_CONTROL
    patch_vary_headers(response, ("Cookie",))
    return response


def weather_reading() -> dict | None:
    return cache.get(WEATHER_CACHE_KEY)
