"""Retry delays: exponential backoff with one jitter rule for everything that retries (outbox
events, webhook deliveries, newsletter messages)."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

# A delay is stretched by 0 to 20 %: never sooner than promised, and retries that failed
# together (one outage, many events) spread out instead of arriving in lockstep.
JITTER = 0.2


def retry_delay(attempts: int, *, base: float, maximum: float) -> timedelta:
    """The wait before the next try after ``attempts`` tries: ``base`` doubled on each attempt
    after the first, at most ``maximum``, plus the jitter."""
    seconds = min(base * 2 ** max(attempts - 1, 0), maximum)
    return timedelta(seconds=seconds * random.uniform(1.0, 1.0 + JITTER))


@dataclass(frozen=True)
class Backoff:
    """``retry_delay`` with its base and maximum read from two settings at each call (so
    operators and tests can change them): ``Backoff("X_RETRY_BASE_SECONDS",
    "X_RETRY_MAX_SECONDS")(attempts)``."""

    base_setting: str
    maximum_setting: str

    def __call__(self, attempts: int) -> timedelta:
        return retry_delay(
            attempts,
            base=getattr(settings, self.base_setting),
            maximum=getattr(settings, self.maximum_setting),
        )
