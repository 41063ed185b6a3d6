"""Fixed-window counters in the shared cache (Redis in production).

``cache.add`` creates the window's counter with its expiry only if it is missing and
``cache.incr`` increments it atomically in Redis, so concurrent web processes count together.
The file cache used in development is shared too, but its increments are not atomic.
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0


def keyed_hash(kind: str, value: str) -> str:
    """An HMAC keyed by SECRET_KEY: matches equal values, reveals nothing without the key."""
    return salted_hmac(f"newsroom.comments.{kind}", value, algorithm="sha256").hexdigest()


def ip_network_key(ip: str | None) -> str:
    """The unit an IP is matched by: the address for IPv4, its /64 network for IPv6 (one
    household or phone gets a whole /64 and can rotate through it)."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def ip_hash(ip: str | None) -> str:
    network = ip_network_key(ip)
    return keyed_hash("ip", network) if network else ""


def email_hash(email: str) -> str:
    return keyed_hash("email", email.strip().lower())


def hit(scope: str, identity: str, limits, now: float | None = None) -> Verdict:
    """Count one attempt for ``identity`` against every (limit, seconds) window.

    Returns the longest wait among the windows that are over their limit.
    """
    now = time.time() if now is None else now
    # Keys never carry the identity itself (an email or a raw IP) into the cache.
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    retry_after = 0
    for limit, seconds in limits:
        window = int(now // seconds)
        key = f"rl:{scope}:{seconds}:{window}:{digest}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:
            # Expired between add and incr: this is the first hit of a fresh window.
            cache.add(key, 1, timeout=seconds + 1)
            count = 1
        if count > limit:
            retry_after = max(retry_after, int((window + 1) * seconds - now) + 1)
    return Verdict(allowed=retry_after == 0, retry_after=retry_after)


def count(scope: str, identity: str, seconds: int, now: float | None = None) -> int:
    """Count one event in the current window and return the window's total (surge guard)."""
    now = time.time() if now is None else now
    window = int(now // seconds)
    key = f"rl:{scope}:{seconds}:{window}:{identity}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        return cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=seconds + 1)
        return 1
