"""Site-wide request wiring."""

import ipaddress

from django.conf import settings


def forwarded_client_address(meta: dict, proxies: int) -> str | None:
    """The reader's address behind ``proxies`` trusted reverse proxies: each proxy appends the
    address it got the request from to X-Forwarded-For, so the reader's is that many entries
    from the end (anything before it was written by the client and proves nothing). None when
    the request did not come through that many proxies or the entry is not an address."""
    entries = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if proxies <= 0 or len(entries) < proxies:
        return None
    candidate = entries[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class TrustedProxyMiddleware:
    """Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, put the reader's address in
    ``REMOTE_ADDR`` (where it would be without them), so everything after it, comment and
    sign-up rate limits, bans and the API's throttles, sees readers and not the proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = settings.TRUSTED_PROXY_COUNT
        if proxies:
            address = forwarded_client_address(request.META, proxies)
            if address is not None:
                request.META["REMOTE_ADDR"] = address
        return self.get_response(request)


def client_ip(request) -> str | None:
    """The reader's address (see TrustedProxyMiddleware), or None when the server has none."""
    return request.META.get("REMOTE_ADDR") or None
