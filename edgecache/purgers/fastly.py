import time

from django.conf import settings

from . import PurgeError, Purger, PurgeRequest
from .http import batches, send

# Fastly purges at most 256 surrogate keys per request.
BATCH = 256


class FastlyPurger(Purger):
    """Fastly's bulk surrogate-key purge: ``POST /service/<id>/purge`` with the API token in
    ``Fastly-Key`` and ``{"surrogate_keys": [...]}``; soft (``Fastly-Soft-Purge: 1``, the
    object is marked stale and served while revalidated) unless the purge is hard. Pages carry
    ``Surrogate-Key`` when EDGECACHE_SURROGATE_KEY_HEADER is on (it is when fastly is
    configured)."""

    name = "fastly"
    required_settings = ("EDGECACHE_FASTLY_SERVICE_ID", "EDGECACHE_FASTLY_API_TOKEN")

    def purge(self, request: PurgeRequest) -> None:
        if not request.keys:
            return
        url = (
            f"{settings.EDGECACHE_FASTLY_API_URL.rstrip('/')}/service/"
            f"{settings.EDGECACHE_FASTLY_SERVICE_ID}/purge"
        )
        headers = {"Fastly-Key": settings.EDGECACHE_FASTLY_API_TOKEN, "Accept": "application/json"}
        if settings.EDGECACHE_FASTLY_SOFT_PURGE and not request.hard:
            headers["Fastly-Soft-Purge"] = "1"
        for batch in batches(request.keys, size=BATCH):
            try:
                send(self.name, "POST", url, headers=headers, json={"surrogate_keys": batch})
            except PurgeError as exc:
                raise _with_reset(exc) from exc


def _with_reset(error: PurgeError) -> PurgeError:
    """Fastly's rate-limit answers say when the limit resets (Fastly-RateLimit-Reset, epoch
    seconds) rather than Retry-After."""
    if error.retry_after is None and error.response is not None:
        reset = error.response.headers.get("Fastly-RateLimit-Reset", "")
        if reset.isdigit():
            error.retry_after = max(0.0, int(reset) - time.time())
    return error
