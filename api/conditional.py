"""HTTP caching for API reads: ETag, Last-Modified, 304 Not Modified and Cache-Control.

The ETag is a hash of the exact bytes sent, so it changes whenever anything in the response
changes (a renamed section, a new comment count). For staff it starts with the article's
version (``"v7-..."``), which is what If-Match on PATCH compares. Last-Modified is the newest
change time of what the response shows; If-None-Match wins over If-Modified-Since (RFC 9110).
"""

import hashlib
import re
from datetime import datetime

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from .permissions import is_staff

_VERSIONED_ETAG = re.compile(r'^"v(\d+)-[0-9a-f]+"$')


def make_etag(content: bytes, *, version: int | None = None) -> str:
    digest = hashlib.blake2b(content, digest_size=10).hexdigest()
    return quote_etag(f"v{version}-{digest}" if version is not None else digest)


def version_from_etag(etag: str) -> int | None:
    """The article version inside one of our staff ETags, or None if it is not one."""
    match = _VERSIONED_ETAG.match(etag.strip())
    return int(match.group(1)) if match else None


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    # Weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
    candidates = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return etag in candidates


def _not_modified(request, etag: str, last_modified: datetime | None) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return _etag_matches(if_none_match, etag)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return bool(since and last_modified and int(last_modified.timestamp()) <= since)


class ConditionalGetMixin:
    """For GET/HEAD 200 responses: ETag, Last-Modified, Cache-Control, and 304 when unchanged.

    Views set ``self.last_modified`` (and ``self.etag_version`` for staff) while building the
    response.
    """

    last_modified: datetime | None = None
    etag_version: int | None = None
    # Set by a view to keep this response in the anonymous response cache (api/responsecache).
    store_as: tuple[str, int] | None = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        staff = is_staff(getattr(request, "user", None))
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            if response.status_code in (200, 201) and self.etag_version is not None:
                response.render()
                response["ETag"] = make_etag(response.content, version=self.etag_version)
            return response
        if hasattr(response, "render"):
            response.render()
        if self.store_as is not None:
            from . import responsecache

            key, timeout = self.store_as
            responsecache.store(key, response, self.last_modified, timeout=timeout)
        etag = make_etag(response.content, version=self.etag_version if staff else None)
        response["ETag"] = etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
        cache_control(response, staff=staff, authenticated=request.user.is_authenticated)
        if _not_modified(request, etag, self.last_modified):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
                if header in response:
                    not_modified[header] = response[header]
            return not_modified
        return response


def cache_control(response, *, staff: bool, authenticated: bool) -> None:
    """Public and short for anonymous reads; private for anyone signed in."""
    patch_vary_headers(response, ["Authorization", "Cookie"])
    if authenticated or staff:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
