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

import functools
import hashlib
import re
import secrets
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.urls import Resolver404, resolve
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

CACHED_PAGE_CACHE_CONTROL = "private, no-cache"
UNCACHED_CACHE_CONTROL = "private, no-store"


# Every placeholder a stored page may hold: the CSRF token, the weather, a late value.
_PLACEHOLDER = re.compile(
    rf"(?P<csrf>{CSRF_PLACEHOLDER})|(?P<weather>{re.escape(WEATHER_MARKER)})"
    r"|NEWSROOMLATE(?P<late>[a-z0-9]+)Q(?P<arg>[A-Za-z0-9]*)Z"
)


class RenderedPage:
    """A page ready to store: its HTML with placeholders, the place its weather is for, and
    until when it may be served (earlier than the default when an ad's window ends).

    The HTML is kept cut at its placeholders, once, when rendered: serving it joins the pieces
    with this response's values instead of searching the whole page for each kind."""

    __slots__ = ("expires_at", "segments", "tail", "weather_place")

    def __init__(self, html: str, weather_place: tuple | None, expires_at=None):
        self.weather_place = weather_place
        self.expires_at = expires_at
        # (text before, kind, argument) for each placeholder
        segments, position = [], 0
        for match in _PLACEHOLDER.finditer(html):
            kind = "csrf" if match["csrf"] else "weather" if match["weather"] else match["late"]
            segments.append((html[position : match.start()], kind, match["arg"] or ""))
            position = match.end()
        self.segments = tuple(segments)
        self.tail = html[position:]

    def __getstate__(self):
        return (self.weather_place, self.expires_at, self.segments, self.tail)

    def __setstate__(self, state):
        self.weather_place, self.expires_at, self.segments, self.tail = state


class _SlugIds:
    """slug -> article id, in process memory and shared through the cache, so a hit needs no
    database query, even in a process that has not met the article yet.

    A wrong or stale entry is harmless: the page key holds the path and the article version,
    every change to an article (including deletion) bumps its version, and a render that finds
    the slug now belongs to another article answers under that one's id.
    """

    def __init__(self, size: int = 20_000):
        self.size = size
        self._data: OrderedDict[str, int] = OrderedDict()

    @staticmethod
    def _key(slug: str) -> str:
        return f"slugid:{slug}"

    def _remember(self, slug: str, article_id: int) -> None:
        self._data[slug] = article_id
        if len(self._data) > self.size:
            self._data.popitem(last=False)

    def get(self, slug: str) -> int | None:
        found = self._data.get(slug)
        if found is None:
            found = cache.get(self._key(slug))
            if found is not None:
                self._remember(slug, found)
        return found

    def set(self, slug: str, article_id: int) -> None:
        if self._data.get(slug) != article_id:
            self._remember(slug, article_id)
            cache.set(self._key(slug), article_id, timeout=settings.PAGE_CACHE_TIMEOUT)

    def clear(self) -> None:
        """Forget this process's copy (the shared one expires or is overwritten)."""
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


# Reader CSRF tokens. Django's get_token() draws every character with its own secrets.choice()
# call: 64 calls for a first-time reader, a third of the cost of a page-cache hit. These draw
# from one secrets.token_bytes() call and produce exactly what get_token() produces (a secret
# in request.META["CSRF_COOKIE"], which CsrfViewMiddleware then sets as the cookie, and a
# freshly masked token per response); tests check Django accepts them.
_CSRF_CHARS = CSRF_ALLOWED_CHARS
_CSRF_INDEX = {char: i for i, char in enumerate(_CSRF_CHARS)}
_CSRF_BASE = len(_CSRF_CHARS)
_CSRF_BYTE_LIMIT = 256 - 256 % _CSRF_BASE  # bytes below it map onto the alphabet uniformly


def _random_csrf_string(length: int = CSRF_SECRET_LENGTH) -> str:
    chars: list[str] = []
    while len(chars) < length:
        chars += [
            _CSRF_CHARS[b % _CSRF_BASE]
            for b in secrets.token_bytes(length + 8)
            if b < _CSRF_BYTE_LIMIT
        ]
    return "".join(chars[:length])


def csrf_token(request) -> str:
    """This reader's CSRF token for a form, as django.middleware.csrf.get_token() gives it: the
    secret from their cookie (or a new one, which the middleware then sends as the cookie),
    masked afresh for this response."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        secret = _random_csrf_string()
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_csrf_string()
    index, chars, base = _CSRF_INDEX, _CSRF_CHARS, _CSRF_BASE
    return mask + "".join(
        chars[(index[s] + index[m]) % base] for s, m in zip(secret, mask, strict=True)
    )


def finalize(request, page: RenderedPage, reading: dict | None, token: str | None = None) -> str:
    """Fill the placeholders with this reader's CSRF token, late values and the temperature."""
    parts = []
    for text, kind, arg in page.segments:
        parts.append(text)
        if kind == "csrf":
            token = token or csrf_token(request)  # one token for every form on the page
            parts.append(token)
        elif kind == "weather":
            parts.append(weather_html(reading, page.weather_place))
        else:
            parts.append(_late_values[kind](request, arg))
    parts.append(page.tail)
    return "".join(parts)


def _local_day() -> tuple[str, float]:
    """The newsroom's local date and the timestamp of its midnight."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.date().isoformat(), midnight.timestamp()


def _not_modified(request, etag: str, last_modified: float) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        tags = parse_etags(if_none_match)
        return "*" in tags or etag in tags or etag.removeprefix("W/") in tags
    if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if not if_modified_since:
        return False
    since = parse_http_date_safe(if_modified_since)
    return since is not None and int(last_modified) <= since


@dataclass
class _Lookup:
    """What one cache round trip told about a page, and this response's validators."""

    entry_key: str
    stamp: tuple
    site_version: int
    reading: dict | None
    token: str
    etag: str
    last_modified: float
    page: RenderedPage | None  # the stored page, when it is current


def _entry_key(kind: str, ident: str, article_id: int | None) -> str:
    # The number is the stored format's (RenderedPage's state); older entries are never read.
    return f"page:3:{kind}:{ident}:{article_id or 0}"


def _lookup(request, kind: str, ident: str, article_id: int | None) -> _Lookup:
    """One MGET: the stored entry, the article and site versions and the weather reading.

    The entry carries the stamp it was rendered under (article version, site version, local
    date) and is served only while that stamp is current, which is the same as keying it by
    those versions, at half the round trips."""
    entry_key = _entry_key(kind, ident, article_id)
    article_ver, site_ver, extra = page_versions(article_id, also=(entry_key, WEATHER_CACHE_KEY))
    reading = extra[WEATHER_CACHE_KEY]
    today, midnight = _local_day()
    stamp = (article_ver or 0, site_ver, today)

    # The reader's CSRF secret is part of the validator: a page kept by a browser carries the
    # token for the cookie it had, and must not be reused under another one.
    token = csrf_token(request)
    csrf_secret = request.META["CSRF_COOKIE"]
    weather_at = reading.get("fetched_at", 0) if reading else 0
    digest = hashlib.sha256(f"{entry_key}|{stamp}|{weather_at}|{csrf_secret}".encode())
    entry = extra[entry_key]
    return _Lookup(
        entry_key=entry_key,
        stamp=stamp,
        site_version=site_ver,
        reading=reading,
        token=token,
        etag=quote_etag(digest.hexdigest()[:32]),
        last_modified=max(stamp[0] / 1e9, site_ver / 1e9, midnight, float(weather_at)),
        page=entry[1] if entry is not None and entry[0] == stamp else None,
    )


def _answer(request, look: _Lookup) -> HttpResponse | None:
    """304 or the stored page for this reader, or None when the page must be rendered."""
    if _not_modified(request, look.etag, look.last_modified):
        return _headers(HttpResponseNotModified(), look.etag, look.last_modified)
    if look.page is None:
        return None
    response = HttpResponse(finalize(request, look.page, look.reading, look.token))
    return _headers(response, look.etag, look.last_modified)


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
    that is returned as it is and never stored. One cache round trip on a hit; none more when
    PageCacheMiddleware already looked this page up for the request.
    """
    look = getattr(request, "_page_lookup", None)
    if look is None or look.entry_key != _entry_key(kind, ident, article_id):
        look = _lookup(request, kind, ident, article_id)
    response = _answer(request, look)
    if response is None:
        built = build(look.site_version)
        if isinstance(built, HttpResponse):
            return built
        timeout = settings.PAGE_CACHE_TIMEOUT
        if built.expires_at is not None:
            timeout = max(1, min(timeout, int((built.expires_at - timezone.now()).total_seconds())))
        cache.set(look.entry_key, (look.stamp, built), timeout=timeout)
        response = HttpResponse(finalize(request, built, look.reading, look.token))
        response = _headers(response, look.etag, look.last_modified)
    response.page_cache_kind = kind
    return response


# ---------------------------------------------------------------------------
# Serving hits before the middleware stack
# ---------------------------------------------------------------------------
def page_cache_target(target: Callable[..., "tuple[str, str, int | None] | None"]):
    """Mark a page-cached view so PageCacheMiddleware can answer its hits early:
    ``target(**url_kwargs)`` gives the (kind, ident, article_id) the view would pass to
    serve(), or None when only the view can tell (e.g. an article this process has not met)."""

    def decorate(view):
        view.page_cache_target = target
        return view

    return decorate


@functools.lru_cache(maxsize=20_000)
def _page_view(path: str) -> tuple[Callable, dict] | None:
    """The page_cache_target of the view at ``path`` and the URL's arguments, or None. Kept
    per path: the hot paths of a news site are few, and resolving is most of a hit's cost
    after the cache round trip."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    target = getattr(match.func, "page_cache_target", None)
    return (target, match.kwargs) if target else None


@receiver(setting_changed)
def _forget_views(*, setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _page_view.cache_clear()


# Headers that belong to one response, never replayed from another.
_OWN_HEADERS = frozenset({"content-length", "etag", "last-modified", "date", "set-cookie"})


class PageCacheMiddleware:
    """Answers current page-cache hits (and their 304s) before the rest of the stack runs.

    Sits right after SecurityMiddleware, which still handles the HTTPS redirect and its headers.
    A hit is the same response the view would give through the full stack: the headers the
    inner middleware added to a rendered page of that kind (CSP, X-Frame-Options, Vary...) are
    taken from the last such response this process served and replayed, the reader's CSRF
    cookie is set by Django's own CsrfViewMiddleware methods, and the host is validated. Until a
    process has served one page of a kind through the stack, or whenever anything is not a
    current hit, the request simply goes through the stack (with the lookup handed on, so a
    miss costs no second round trip)."""

    def __init__(self, get_response):
        from django.middleware.csrf import CsrfViewMiddleware

        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.replay: dict[str, list[tuple[str, str]]] = {}

    def __call__(self, request):
        if request.method == "GET" and self.replay:
            response = self._early(request)
            if response is not None:
                return response
        response = self.get_response(request)
        kind = getattr(response, "page_cache_kind", None)
        if kind is not None and response.status_code == 200:
            self.replay[kind] = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _OWN_HEADERS
            ]
        return response

    def _early(self, request) -> HttpResponse | None:
        view = _page_view(request.path_info)
        target = view[0](**view[1]) if view else None
        if target is None or target[0] not in self.replay:
            return None
        request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware would check it
        self.csrf.process_request(request)  # the reader's CSRF cookie, if any
        look = _lookup(request, *target)
        response = _answer(request, look)
        if response is None:
            request._page_lookup = look
            return None
        for name, value in self.replay[target[0]]:
            if name not in response and (response.status_code == 200 or name != "Content-Type"):
                response[name] = value
        if not response.streaming and response.status_code == 200:
            response["Content-Length"] = str(len(response.content))
        return self.csrf.process_response(request, response)


def _headers(response: HttpResponse, etag: str, last_modified: float) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = formatdate(last_modified, usegmt=True)
    response["Cache-Control"] = CACHED_PAGE_CACHE_CONTROL
    patch_vary_headers(response, ("Cookie",))
    return response


def weather_reading() -> dict | None:
    return cache.get(WEATHER_CACHE_KEY)
