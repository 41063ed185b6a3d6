"""Who is asking: the reader's address behind trusted reverse proxies, read once per request, and
the unit a client is counted by (an IPv4 address, or an IPv6 /64 network)."""

import ipaddress

from django.conf import settings
from django.utils.crypto import salted_hmac


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
    ``REMOTE_ADDR`` (where it would be without them), so everything after it, rate limits, bans
    and the API's throttles, sees readers and not the proxy."""

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


def client_network(ip: str | None) -> str:
    """The unit a client is counted and banned by: the address for IPv4, its /64 network for
    IPv6 (one household or phone gets a whole /64 and can rotate through it). "" when ``ip`` is
    missing or not an address."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ""
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def keyed_hash(namespace: str, value: str) -> str:
    """An HMAC keyed by SECRET_KEY: equal values match, and nothing about the value (an email
    address, an IP address) can be learnt from it without the key."""
    return salted_hmac(namespace, value, algorithm="sha256").hexdigest()
