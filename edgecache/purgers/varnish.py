from django.conf import settings

from . import Purger, PurgeRequest
from .http import batches, send

# Varnish limits a request header to 8 kB by default (http_req_hdr_len).
MAX_HEADER_CHARS = 6000


class VarnishPurger(Purger):
    """``PURGE /`` to every Varnish host with the keys in an ``xkey-softpurge`` header (or
    ``xkey-purge`` for a hard purge), as deploy/varnish/default.vcl expects; the VCL answers
    only the app hosts in its ``purgers`` ACL.

    Soft by default: the object is marked expired but kept for grace, so the next reader gets
    the old copy at once while one background fetch renders the new one (no queue of readers
    behind a purged hot page), and the old copy is still served if the origin is down. Hard
    purges (a withdrawn article) remove it outright."""

    name = "varnish"
    required_settings = ("EDGECACHE_VARNISH_URLS",)

    def purge(self, request: PurgeRequest) -> None:
        if not request.keys:
            return
        soft = settings.EDGECACHE_VARNISH_SOFT_PURGE and not request.hard
        header = "xkey-softpurge" if soft else "xkey-purge"
        for base in settings.EDGECACHE_VARNISH_URLS:
            for batch in batches(request.keys, size=1000, max_chars=MAX_HEADER_CHARS):
                send(self.name, "PURGE", base.rstrip("/") + "/", headers={header: " ".join(batch)})
