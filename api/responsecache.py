"""Server-side cache of anonymous article reads, keyed by the page-cache versions.

Every anonymous client gets the same bytes for the same URL, so the rendered JSON is stored in
the shared cache under the versions of what it shows (articles/caching.py): the article's
version for its page (bumped by edits, workflow steps, corrections, bylines, authors and
approved comments) and the site-wide version (bumped whenever a live article changes or leaves
the site). A change is therefore visible at once. Lists also show comment counts, which move
the article's version only, so a list entry lives at most API_CACHE_MAX_AGE seconds: the same
freshness the response's own Cache-Control allows any shared cache.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from articles.caching import page_versions


@dataclass
class Cached:
    content: bytes
    last_modified: datetime | None


def list_key(full_path: str) -> str:
    _, site, _ = page_versions()
    digest = hashlib.blake2b(full_path.encode(), digest_size=12).hexdigest()
    return f"api:list:{site}:{digest}"


def detail_key(article_id: int) -> str:
    article, site, _ = page_versions(article_id)
    return f"api:article:{article_id}:{article}:{site}"


def get(key: str) -> Cached | None:
    return cache.get(key)


def store(key: str, response, last_modified: datetime | None, *, timeout: int) -> None:
    cache.set(key, Cached(content=response.content, last_modified=last_modified), timeout)


def as_response(hit: Cached) -> HttpResponse:
    return HttpResponse(hit.content, content_type="application/json")


def list_timeout() -> int:
    return settings.API_CACHE_MAX_AGE


def detail_timeout() -> int:
    return settings.PAGE_CACHE_TIMEOUT
