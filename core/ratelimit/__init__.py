"""Rate limits: fixed windows for abuse limits (comment posts, sign-ups, reports), a token bucket
for pacing (messages per second to a provider). One home, every app uses it."""

from .pacing import LocalBucket, NoLimit, Pacer, RedisBucket, pacer
from .windows import Limit, Verdict, count, enforce, hit, parse_limits

__all__ = [
    "Limit",
    "LocalBucket",
    "NoLimit",
    "Pacer",
    "RedisBucket",
    "Verdict",
    "count",
    "enforce",
    "hit",
    "pacer",
    "parse_limits",
]
