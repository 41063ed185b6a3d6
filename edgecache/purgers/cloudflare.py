from django.conf import settings

from . import PurgeError, Purger, PurgeRequest
from .http import batches, send

# Cloudflare takes at most 100 tags per purge request.
BATCH = 100


class CloudflarePurger(Purger):
    """Cloudflare's purge by cache tag: ``POST /zones/<zone>/purge_cache`` with a bearer API
    token and ``{"tags": [...]}``. Cloudflare has no soft purge: the next request goes to the
    origin (whose own cache has the new copy). Pages carry ``Cache-Tag`` when
    EDGECACHE_CACHE_TAG_HEADER is on (it is when cloudflare is configured)."""

    name = "cloudflare"
    required_settings = ("EDGECACHE_CLOUDFLARE_ZONE_ID", "EDGECACHE_CLOUDFLARE_API_TOKEN")

    def purge(self, request: PurgeRequest) -> None:
        if not request.keys:
            return
        url = (
            f"{settings.EDGECACHE_CLOUDFLARE_API_URL.rstrip('/')}/zones/"
            f"{settings.EDGECACHE_CLOUDFLARE_ZONE_ID}/purge_cache"
        )
        headers = {"Authorization": f"Bearer {settings.EDGECACHE_CLOUDFLARE_API_TOKEN}"}
        for batch in batches(request.keys, size=BATCH):
            response = send(self.name, "POST", url, headers=headers, json={"tags": batch})
            try:
                answer = response.json()
            except ValueError:
                answer = {}
            if not answer.get("success"):
                errors = "; ".join(
                    f"{e.get('code')}: {e.get('message')}" for e in answer.get("errors") or []
                )
                raise PurgeError(f"{self.name}: the purge was not accepted: {errors or answer}")
