"""Webhook signatures: HMAC-SHA256 over "<timestamp>.<body>" with the endpoint's secret.

Header: ``Newsroom-Signature: t=<unix seconds>,v1=<hex digest>``. Receivers recompute the
digest over the raw body, compare in constant time and refuse timestamps older than a few
minutes, which stops replays (docs/api.md has the receiver's snippet).
"""

import hashlib
import hmac

SIGNATURE_HEADER = "Newsroom-Signature"
TOLERANCE_SECONDS = 300


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(*, secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS):
    """True when ``header`` signs ``body`` with ``secret`` and is recent (for our own tests and
    for receivers written in Python)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret=secret, timestamp=timestamp, body=body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
