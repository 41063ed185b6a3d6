"""Compressed responses for clients that reach the site directly (``make run``, or a proxy that
leaves compression to the site): Brotli where the client accepts it, else gzip.

The first middleware of the stack, so it compresses what leaves the site: pages after the
origin cache has assembled their includes, and hits exactly as misses. The origin cache keeps
one uncompressed copy, whatever the client asked for.

- A surrogate that assembles includes itself (``Surrogate-Capability: ...="ESI/1.0"``, the
  repository's Varnish) gets every response uncompressed: it must read the includes, and it
  compresses what it sends (``beresp.do_gzip``).
- Every response of a compressible type says ``Vary: Accept-Encoding``.
- ETags stay strong and valid: a compressed representation has the ETag of the uncompressed one
  with ``-br`` or ``-gzip`` added, and the suffix is taken off the tags of ``If-None-Match`` and
  ``If-Match`` before the request goes on, so a 304 (origin cache, API) or a PATCH's
  precondition (API) compares the uncompressed representation's tag. Compression is
  deterministic (gzip without a timestamp), so one tag always names the same bytes.
"""

import gzip
import re

import brotli
from django.conf import settings
from django.utils.cache import patch_vary_headers

from . import esi

# Below this many bytes compression saves less than it costs.
MIN_LENGTH = 200
BROTLI_QUALITY = 5  # fast enough per request (docs/performance.md); 11 is for static files
GZIP_LEVEL = 6
COMPRESSIBLE = re.compile(
    r"^(text/|image/svg\+xml|application/(json|xml|javascript|[\w.-]+\+(json|xml)))", re.I
)
CODINGS = ("br", "gzip")  # preferred first when the client weighs them alike
_SUFFIX = re.compile(r'-(br|gzip)"$')


def accepted_coding(accept_encoding: str) -> str | None:
    """The coding to send for an ``Accept-Encoding`` header (RFC 9110 12.5.3), or None."""
    weights: dict[str, float] = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        match = re.search(r"q\s*=\s*([^\s;]*)", params)
        if match:
            try:
                weight = float(match.group(1))
            except ValueError:
                weight = 0.0
        weights[name] = weight
    best, best_weight = None, 0.0
    for coding in CODINGS:
        weight = weights.get(coding, weights.get("*", 0.0))
        if weight > best_weight:
            best, best_weight = coding, weight
    return best


def encoded_etag(etag: str, coding: str) -> str:
    """``"abc"`` -> ``"abc-br"``; ``W/"abc"`` -> ``W/"abc-br"``."""
    return f'{etag[:-1]}-{coding}"' if etag.endswith('"') else etag


def plain_etags(header: str) -> str:
    """An ``If-None-Match`` or ``If-Match`` value with the coding suffixes taken off."""
    return ", ".join(_SUFFIX.sub('"', tag.strip()) for tag in header.split(","))


def compress(content: bytes, coding: str) -> bytes:
    if coding == "br":
        return brotli.compress(content, quality=BROTLI_QUALITY)
    return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)


def _compressible_type(response) -> bool:
    return bool(COMPRESSIBLE.match(response.get("Content-Type", "")))


class CompressionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.COMPRESS_RESPONSES or esi.surrogate_does_esi(request):
            return self.get_response(request)
        coding = accepted_coding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        sent_tags = {}
        for name in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH"):
            if name in request.META:
                sent_tags[name] = request.META[name]
                request.META[name] = plain_etags(request.META[name])
        response = self.get_response(request)
        if response.status_code == 304:
            self._restore_tag(response, sent_tags.get("HTTP_IF_NONE_MATCH", ""))
            return response
        if not _compressible_type(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if coding is None or not self._worth_compressing(response):
            return response
        compressed = compress(response.content, coding)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        response["Content-Encoding"] = coding
        if response.has_header("ETag"):
            response["ETag"] = encoded_etag(response["ETag"], coding)
        return response

    @staticmethod
    def _worth_compressing(response) -> bool:
        return not (
            response.streaming
            or response.status_code in (204, 206)
            or response.has_header("Content-Encoding")
            or response.has_header("Content-Range")
            or "no-transform" in response.get("Cache-Control", "")
            or len(response.content) < MIN_LENGTH
        )

    @staticmethod
    def _restore_tag(response, sent: str) -> None:
        """A 304 names the representation the client holds: the tag it sent, suffix and all."""
        etag = response.get("ETag")
        if not etag or not sent:
            return
        plain = etag.removeprefix("W/")
        for tag in (tag.strip() for tag in sent.split(",")):
            if _SUFFIX.sub('"', tag).removeprefix("W/") == plain:
                response["ETag"] = tag
                return
