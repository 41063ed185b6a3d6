"""What the purgers that speak HTTP share: one call with the timeout, errors as PurgeError, the
wait a rate-limited answer asks for, and batches within an API's limit."""

import time
from collections.abc import Iterable, Iterator

import requests
from django.conf import settings
from django.utils.http import parse_http_date_safe

from . import PurgeError

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def retry_after(response: requests.Response) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date), or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    when = parse_http_date_safe(value)
    return max(0.0, when - time.time()) if when else None


def send(name: str, method: str, url: str, **kwargs) -> requests.Response:
    """One request; PurgeError for a network error or any answer that is not a success."""
    try:
        response = requests.request(
            method, url, timeout=settings.EDGECACHE_PURGE_TIMEOUT, allow_redirects=False, **kwargs
        )
    except requests.RequestException as exc:
        raise PurgeError(f"{name}: {url} did not answer: {exc}") from exc
    if not 200 <= response.status_code < 300:
        wait = retry_after(response)
        detail = response.text[:300].strip()
        raise PurgeError(
            f"{name}: {method} {url} answered {response.status_code} {response.reason}"
            + (f" (retry after {wait:.0f} s)" if wait is not None else "")
            + (f": {detail}" if detail else ""),
            retry_after=wait,
            response=response,
        )
    return response


def batches(items: Iterable[str], *, size: int, max_chars: int | None = None) -> Iterator[list]:
    """Consecutive batches of at most ``size`` items (and ``max_chars`` characters joined by
    one separator)."""
    batch: list[str] = []
    chars = 0
    for item in items:
        if batch and (len(batch) >= size or (max_chars and chars + len(item) + 1 > max_chars)):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += len(item) + 1
    if batch:
        yield batch
