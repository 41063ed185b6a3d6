"""The database half of the rate limits: counters in one table, used while the cache is down.

One statement counts every window of a hit (an upsert that returns the new totals), in a
savepoint so a failure cannot spoil the caller's transaction. Rows of windows that are over are
deleted by the ``core.ratelimit_prune`` task (CELERY_BEAT_SCHEDULE).
"""

import logging
from datetime import UTC, datetime

from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)


def increment(counters: list[tuple[str, int]]) -> list[int]:
    """One more event in each (key, window end as a Unix time) counter; the new totals.

    With the database unreachable too there is nothing left to count in: the event is let
    through (zeros) and an error is logged.
    """
    from ..models import RateLimitCounter

    if not counters:
        return []
    quote = connection.ops.quote_name
    table = quote(RateLimitCounter._meta.db_table)
    key, hits, expires = (quote(name) for name in ("key", "hits", "expires_at"))
    rows = {}
    for name, end in counters:
        expires_at = datetime.fromtimestamp(end, tz=UTC)
        rows[name] = connection.ops.adapt_datetimefield_value(expires_at)
    # Keys in one order in every statement, so two concurrent hits cannot deadlock.
    ordered = sorted(rows)
    values = ", ".join(["(%s, %s, 1)"] * len(ordered))
    sql = (
        f"INSERT INTO {table} ({key}, {expires}, {hits}) VALUES {values} "  # noqa: S608 (names are quoted constants)
        f"ON CONFLICT ({key}) DO UPDATE SET {hits} = {table}.{hits} + 1 "
        f"RETURNING {key}, {hits}"
    )
    params = [value for name in ordered for value in (name, rows[name])]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            totals = dict(cursor.fetchall())
    except DatabaseError:
        logger.exception("Rate limits: neither the cache nor the database can count; allowing")
        return [0] * len(counters)
    return [totals[name] for name, _ in counters]


def prune(*, now: datetime) -> int:
    """Delete the counters of windows that ended before ``now``; how many were deleted."""
    from ..models import RateLimitCounter

    deleted, _ = RateLimitCounter.objects.filter(expires_at__lt=now).delete()
    return deleted
