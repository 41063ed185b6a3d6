"""The origin cache, as two ordinary middleware in the normal stack (see docs/performance.md).

``OriginCacheMiddleware`` sits last, right before the view: a stored page is answered in place
of the view, so every other middleware handles it exactly as it handles a rendered one (no
header of an earlier response is replayed). ``PublicResponseMiddleware`` sits near the top,
above the session, CSRF and message middleware, so that nothing they add on the way out (a
cookie, ``Vary: Cookie``) reaches a public document.
"""

import contextlib
import io
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from . import esi
from .headers import Public, cache_control, cache_private, public_of
from .store import Entry, Found, Unavailable, store

logger = logging.getLogger(__name__)

STORABLE_STATUS = frozenset({200, 203, 204, 300, 301, 308, 404, 410})
# Headers that belong to one delivery, never to the stored page.
_NOT_STORED = frozenset({"content-length", "date", "age", "x-origin-cache", "surrogate-control"})
STATE_HEADER = "X-Origin-Cache"
PASS_SECONDS = 30
MAX_PASSES = 10_000


class PublicResponseMiddleware:
    """A public document carries no cookie and varies on nothing a reader sends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if public_of(response) is not None:
            response.cookies.clear()
            response["Vary"] = "Accept-Encoding"
        return response


@dataclass(slots=True)
class _Flight:
    """One render of a URL in this process, which other threads asking for it wait for."""

    done: threading.Event
    entry: Entry | None = None
    state: str = "miss"


def _storable(request, response) -> Public | None:
    public = public_of(response)
    if (
        public is None
        or public.shared_max_age <= 0
        or response.streaming
        or response.status_code not in STORABLE_STATUS
        or not _anonymous(request)
    ):
        return None
    return public


def _anonymous(request) -> bool:
    """No credentials: no Authorization header and no session that logs someone in (a CSRF
    cookie or an anonymous session does not count)."""
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = getattr(request, "user", None)
        return user is None or not user.is_authenticated
    return True


def _to_entry(request, response, public: Public) -> Entry:
    return Entry(
        stored_at=time.time(),
        shared_max_age=public.shared_max_age,
        browser_max_age=public.browser_max_age,
        status=response.status_code,
        headers=tuple(
            (name, value) for name, value in response.items() if name.lower() not in _NOT_STORED
        ),
        body=response.content,
        keys=public.keys,
        versions=(),
        hard_versions=(),
        includes=tuple(getattr(request, "edgecache_includes", ())),
    )


def _from_entry(entry: Entry) -> HttpResponse:
    response = HttpResponse(entry.body, status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    response["Age"] = str(int(entry.age(time.time())))
    response.edgecache_public = Public(
        keys=entry.keys, browser_max_age=entry.browser_max_age, shared_max_age=entry.shared_max_age
    )
    response.edgecache_includes = entry.includes
    return response


def _subrequest(request, path: str) -> WSGIRequest:
    """A fresh anonymous GET of ``path`` on the same host: no cookie, no condition, no
    surrogate, so the fragment is the same for everyone and comes back whole."""
    parts = urlsplit(path)
    environ = {
        name: value
        for name, value in request.META.items()
        if name.startswith("wsgi.")
        or name
        in {"SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "SCRIPT_NAME", "REMOTE_ADDR",
            "HTTP_HOST", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST"}
    }  # fmt: skip
    environ.update(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": unquote_to_bytes(parts.path).decode("latin-1"),
            "QUERY_STRING": parts.query,
            "CONTENT_LENGTH": "0",
            "wsgi.input": io.BytesIO(b""),
        }
    )
    sub = WSGIRequest(environ)
    from django.contrib.auth.models import AnonymousUser

    sub.user = AnonymousUser()
    return sub


class OriginCacheMiddleware:
    """Stores public documents for anonymous GET and HEAD requests and serves them while all
    their keys are current; renders each URL once however many ask for it at the same time
    (single flight), and serves the stale copy while it is rendered again
    (stale-while-revalidate) or when the render fails (stale-if-error)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._flights: dict[str, _Flight] = {}
        self._flights_lock = threading.Lock()
        # URLs whose last render was not for storing (private, an error): for a short while
        # they go straight to the view, without a lookup or a lock (Varnish's hit-for-miss).
        self._passes: OrderedDict[str, float] = OrderedDict()
        # Page URL -> the URLs of its fragments, looked up in the same round trip as the page.
        self._fragments: OrderedDict[str, tuple[str, ...]] = OrderedDict()

    def __call__(self, request):
        response, state = self._respond(request)
        return self._finish(request, response, state, depth=0)

    # -- answering one request ----------------------------------------------------------
    def _respond(self, request, found: Found | None = None) -> tuple[HttpResponse, str]:
        if not settings.EDGECACHE_ORIGIN_CACHE or request.method not in ("GET", "HEAD"):
            return self._render(request), "bypass"
        if not _anonymous(request):
            return self._render(request), "bypass"
        url = request.build_absolute_uri()
        if self._passes.get(url, 0.0) > time.monotonic():
            return self._render(request), "pass"
        try:
            if found is None:
                founds = store.lookup([url, *self._fragments.get(url, ())])
                request.edgecache_prefetched = founds
                found = founds[url]
        except Unavailable:
            return self._render(request), "off"
        if found.fresh:
            return _from_entry(found.entry), "hit"
        # A surrogate serves its own readers stale while it fetches: it waits for the render.
        may_serve_stale = not esi.surrogate_does_esi(request)
        flight, leader = self._join(url)
        if not leader:
            if may_serve_stale and self._stale_ok(found, settings.EDGECACHE_STALE_WHILE_REVALIDATE):
                return _from_entry(found.entry), "stale"
            flight.done.wait(settings.EDGECACHE_LOCK_SECONDS)
            if flight.entry is not None:
                return _from_entry(flight.entry), "hit" if flight.state == "miss" else flight.state
            return self._render(request), "miss"
        try:
            response, flight.entry, flight.state = self._lead(request, url, found, may_serve_stale)
            return response, flight.state
        finally:
            with self._flights_lock:
                self._flights.pop(url, None)
            flight.done.set()

    def _join(self, url: str) -> tuple[_Flight, bool]:
        with self._flights_lock:
            flight = self._flights.get(url)
            if flight is not None:
                return flight, False
            flight = self._flights[url] = _Flight(done=threading.Event())
            return flight, True

    def _lead(self, request, url: str, found: Found, may_serve_stale: bool):
        """This process's one render of ``url``, unless another process is rendering it."""
        try:
            token = store.lock(url)
        except Unavailable:
            return self._render(request), None, "off"
        if token is None:
            if may_serve_stale and self._stale_ok(found, settings.EDGECACHE_STALE_WHILE_REVALIDATE):
                return _from_entry(found.entry), found.entry, "stale"
            other = self._await_other(url, found.entry)
            if other is not None:
                return _from_entry(other), other, "hit"
        try:
            return self._render_and_store(request, url, found)
        finally:
            if token is not None:
                with contextlib.suppress(Unavailable):
                    store.unlock(url, token)

    def _await_other(self, url: str, seen: Entry | None) -> Entry | None:
        """Wait for another process's render of ``url``: its entry (fresh, or stored after
        ``seen``: a render this request waited for), or None when it stored nothing (a page
        that is not public) or took too long."""
        deadline = time.monotonic() + settings.EDGECACHE_LOCK_SECONDS
        delay = 0.005
        while time.monotonic() < deadline:
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
            try:
                found = store.lookup([url])[url]
                if found.fresh or (
                    found.entry is not None
                    and (seen is None or found.entry.stored_at != seen.stored_at)
                ):
                    return found.entry
                if not store.locked(url):
                    return None
            except Unavailable:
                return None
        return None

    def _render_and_store(self, request, url: str, found: Found):
        started_at = time.time()
        response = self._render(request)
        if response.status_code >= 500 and self._stale_ok(found, settings.EDGECACHE_STALE_IF_ERROR):
            logger.warning(
                "Page render failed; serving the stored copy",
                extra={"url": url, "status": response.status_code},
            )
            return _from_entry(found.entry), found.entry, "stale"
        public = _storable(request, response)
        if public is None:
            # A 429 is about the client that asked, not the URL: other readers still get it
            # from here.
            if response.status_code != 429:
                self._pass_for_a_while(url)
            return response, None, "miss"
        entry = _to_entry(request, response, public)
        try:
            store.save(
                url,
                entry=entry,
                known_versions=found.versions,
                started_at=started_at,
                timeout=public.shared_max_age
                + max(settings.EDGECACHE_STALE_WHILE_REVALIDATE, settings.EDGECACHE_STALE_IF_ERROR),
            )
        except Unavailable:
            return response, None, "miss"
        return response, entry, "miss"

    def _remember_fragments(self, url: str, fragments: tuple[str, ...]) -> None:
        if self._fragments.get(url) == fragments:
            return
        with self._flights_lock:
            self._fragments[url] = fragments
            while len(self._fragments) > settings.EDGECACHE_KNOWN_URLS:
                self._fragments.popitem(last=False)

    def _pass_for_a_while(self, url: str) -> None:
        with self._flights_lock:
            self._passes[url] = time.monotonic() + PASS_SECONDS
            self._passes.move_to_end(url)
            while len(self._passes) > MAX_PASSES:
                self._passes.popitem(last=False)

    def _render(self, request) -> HttpResponse:
        response = self.get_response(request)
        response.edgecache_includes = tuple(getattr(request, "edgecache_includes", ()))
        return response

    def _stale_ok(self, found: Found, window: int) -> bool:
        """Whether the stored copy may still be served stale: within ``window`` seconds of
        going stale, and never after a hard purge of one of its keys."""
        if found.entry is None:
            return False
        now = time.time()
        if now - found.stale_since(now) > window:
            return False
        try:
            return not store.hard_purged_since(found.entry)
        except Unavailable:
            return False

    # -- what every response gets --------------------------------------------------------
    def _finish(self, request, response: HttpResponse, state: str, depth: int) -> HttpResponse:
        includes = getattr(response, "edgecache_includes", ())
        if includes and not response.streaming:
            if esi.surrogate_does_esi(request):
                response["Surrogate-Control"] = esi.SURROGATE_CONTROL
            else:
                self._assemble(request, response, includes, depth)
        public = public_of(response)
        if state == "stale" and public is not None:
            # Any cache behind this one may keep the stale copy only for a moment.
            stale_for = settings.EDGECACHE_STALE_SHARED_MAX_AGE
            response["Cache-Control"] = cache_control(0, stale_for)
            del response["Age"]
            public = response.edgecache_public = Public(
                keys=public.keys, browser_max_age=0, shared_max_age=stale_for
            )
        response[STATE_HEADER] = state
        if depth or public is None or request.method not in ("GET", "HEAD"):
            return response
        conditional = get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )
        if conditional is not response:
            conditional.edgecache_public = public
            conditional[STATE_HEADER] = state
        return conditional

    def _assemble(self, request, response: HttpResponse, includes, depth: int) -> None:
        """Put each fragment's response in place of its include (the origin does the
        surrogate's job). The page then lives as long as its shortest-lived part, and is
        private if any part is."""
        subrequests = {path: _subrequest(request, path) for path in includes}
        if depth >= esi.MAX_DEPTH:
            fragments = dict.fromkeys(includes, b"")
            parts: list[HttpResponse] = []
        else:
            urls = {path: sub.build_absolute_uri() for path, sub in subrequests.items()}
            founds = dict(getattr(request, "edgecache_prefetched", None) or {})
            missing = [url for url in urls.values() if url not in founds]
            if missing and settings.EDGECACHE_ORIGIN_CACHE:
                with contextlib.suppress(Unavailable):
                    founds.update(store.lookup(missing))
            self._remember_fragments(request.build_absolute_uri(), tuple(urls.values()))
            fragments, parts = {}, []
            for path, sub in subrequests.items():
                part, state = self._respond(sub, founds.get(urls[path]))
                part = self._finish(sub, part, state, depth + 1)
                fragments[path] = part.content if part.status_code == 200 else b""
                parts.append(part)
        response.content = esi.splice(response.content, fragments)
        del response["Content-Length"]
        del response["ETag"]
        set_response_etag(response)
        page = public_of(response)
        if page is None:
            return
        if any(public_of(part) is None for part in parts):
            cache_private(response)
            return
        browser, shared = page.browser_max_age, page.shared_max_age - _age(response)
        last_modified = parse_http_date_safe(response.get("Last-Modified", "")) or 0
        for part in parts:
            public, age = public_of(part), _age(part)
            browser = min(browser, max(0, public.browser_max_age - age))
            shared = min(shared, max(0, public.shared_max_age - age))
            last_modified = max(
                last_modified, parse_http_date_safe(part.get("Last-Modified", "")) or 0
            )
        shared = max(0, shared)
        del response["Age"]
        response["Cache-Control"] = cache_control(min(browser, shared), shared)
        if last_modified:
            response["Last-Modified"] = http_date(last_modified)
        response.edgecache_public = Public(
            keys=page.keys, browser_max_age=min(browser, shared), shared_max_age=shared
        )


def _age(response) -> int:
    try:
        return int(response.get("Age", "0"))
    except ValueError:
        return 0
