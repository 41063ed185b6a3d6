"""HTTP caching for the API: public documents for anonymous reads, private answers otherwise.

An anonymous read (GET or HEAD without an Authorization header and without a signed-in session)
that succeeds is a public document (edgecache.cache_public): the same bytes for every client,
held by the origin cache, Varnish or a CDN until a change purges one of the keys of what it
shows (api/keys.py). The origin cache answers conditional requests for it, from the stored copy
or from a fresh render, with the ETag (a hash of the bytes) and the Last-Modified that
cache_public sets: the time it was rendered, which is never earlier than a change it shows,
since every such change purges it (a list an article left included, which no column of the
articles still in it records).

Everything else is private and never stored (edgecache.cache_private): reads with a token or a
session, writes, and every error (a 404 for an article about to be published must not linger
in a shared cache). Private reads still get an ETag and, where the view knows it, the newest
change time of what they show, and 304 when unchanged; for staff the ETag starts with the
article's version (``"v7-..."``), which is what If-Match on PATCH compares. If-None-Match wins
over If-Modified-Since (RFC 9110).
"""

import hashlib
import logging
import re
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from edgecache import cache_private, cache_public

from .permissions import is_staff

logger = logging.getLogger(__name__)

_VERSIONED_ETAG = re.compile(r'^"v(\d+)-[0-9a-f]+"$')


def make_etag(content: bytes, *, version: int | None = None) -> str:
    digest = hashlib.blake2b(content, digest_size=10).hexdigest()
    return quote_etag(f"v{version}-{digest}" if version is not None else digest)


def version_from_etag(etag: str) -> int | None:
    """The article version inside one of our staff ETags, or None if it is not one."""
    match = _VERSIONED_ETAG.match(etag.strip())
    return int(match.group(1)) if match else None


def expected_version(if_match: str | None, body_version: int | None) -> int | None:
    """The version a write was based on: from If-Match (one of our staff ETags; ``*`` for any
    version) or else the body's ``version``. 412 for an ETag that is not ours, 428 for neither."""
    from .exceptions import ApiError, PreconditionRequired

    if if_match is not None:
        if if_match.strip() == "*":
            return None
        version = version_from_etag(if_match)
        if version is None:
            raise ApiError(
                'If-Match must be one ETag from this API, e.g. "v7-3f2a9c...".', status_code=412
            )
        return version
    if body_version is not None:
        return body_version
    raise PreconditionRequired()


def is_public_read(request) -> bool:
    """A read any client could have made: no credentials of any kind (the origin cache and the
    VCL pass anything with an Authorization header or a session on, too)."""
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    return not (user and user.is_authenticated)


def public_document(request, response, *, keys: Iterable[str], shared_max_age: int | None = None):
    """``response`` (rendered, 200) as a public document showing ``keys``; private when the
    keys do not fit in one header (a cache could not purge it)."""
    response["ETag"] = make_etag(response.content)
    try:
        return cache_public(
            response,
            keys=keys,
            browser_max_age=settings.API_CACHE_MAX_AGE,
            shared_max_age=shared_max_age,
        )
    except ValueError as exc:
        logger.warning(
            "API response left private: its cache keys do not fit",
            extra={"path": request.path, "error": str(exc)},
        )
        return cache_private(response)


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
    """Public or private, ETag, Last-Modified and 304 for every response of a view.

    While building a response, views set ``self.public_keys`` (what it shows, api/keys.py) for
    anonymous reads, ``self.shared_max_age`` when shared caches must not keep it as long as
    usual, and for private reads ``self.last_modified`` (and ``self.etag_version`` for staff).
    A view that sets no keys answers privately: forgetting them costs speed, never correctness.
    """

    last_modified: datetime | None = None
    etag_version: int | None = None
    public_keys: Iterable[str] | None = None
    shared_max_age: int | None = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            if response.status_code in (200, 201) and self.etag_version is not None:
                response.render()
                response["ETag"] = make_etag(response.content, version=self.etag_version)
            return cache_private(response)
        if hasattr(response, "render"):
            response.render()
        if self.public_keys is not None and is_public_read(request):
            # Conditional requests are answered by the origin cache (edgecache.middleware), after
            # it has stored the whole document: a 304 here would leave it nothing to store.
            return public_document(
                request, response, keys=self.public_keys, shared_max_age=self.shared_max_age
            )
        staff = is_staff(getattr(request, "user", None))
        etag = make_etag(response.content, version=self.etag_version if staff else None)
        response["ETag"] = etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
        cache_private(response)
        if _not_modified(request, etag, self.last_modified):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Last-Modified", "Cache-Control"):
                if header in response:
                    not_modified[header] = response[header]
            return not_modified
        return response
