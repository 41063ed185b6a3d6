"""Wake-ups: task messages that only tell a worker to look at work the database already holds
(an outbox event, a webhook delivery, an edition to prepare).

Losing one is harmless, since a beat sweep finds the work, so sending one must never cost the
request that caused it more than a moment, however many rows a bulk action changes: one attempt
(Celery's publish retries would wait up to half a minute for a hung broker), and after a failure
this process sends no wake-ups to that broker for REDIS_RETRY_SECONDS and leaves the work to the
sweeps. A stopped or hung broker then costs one refused connection or one socket timeout per
process and interval, not one per row. The first failure and the recovery are logged once each.
"""

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)


class _Broker:
    """Per process and broker URL: may wake-ups be sent now?"""

    def __init__(self):
        self.lock = threading.Lock()
        self.skip_until = 0.0
        self.down = False


_brokers: dict[str, _Broker] = {}
_brokers_lock = threading.Lock()


def _broker(url: str) -> _Broker:
    with _brokers_lock:
        return _brokers.setdefault(url, _Broker())


def send_wake_up(task, *args) -> bool:
    """Send ``task(*args)`` now, once; False when it was not sent (the broker failed just now
    or a moment ago). Never raises: the caller's change is committed and a sweep does the work."""
    url = task.app.conf.broker_url or ""
    broker = _broker(url)
    if time.monotonic() < broker.skip_until:
        return False
    try:
        task.apply_async(args, retry=False)
    except Exception as exc:
        with broker.lock:
            broker.skip_until = time.monotonic() + settings.REDIS_RETRY_SECONDS
            first, broker.down = not broker.down, True
        if first:
            logger.warning(
                "Broker unavailable: wake-ups are skipped and the sweeps pick the work up",
                extra={"task": task.name, "error": repr(exc)},
            )
        return False
    if broker.down:
        with broker.lock:
            was_down, broker.down = broker.down, False
        if was_down:
            logger.info("Broker available again: wake-ups are sent", extra={"task": task.name})
    return True


def reset() -> None:
    """Forget every broker's failures (tests start each with a clean slate)."""
    with _brokers_lock:
        _brokers.clear()
