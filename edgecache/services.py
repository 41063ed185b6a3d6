"""Purging: a change records which keys (and paths) it touched, inside its own transaction;
every configured cache drops them after commit, through the outbox (durable, retried with
backoff, visible in the admin under Background events)."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from outbox.services import event_record, retry_delay

from .headers import normalize_keys
from .purgers import PurgeError, PurgeRequest, configured, purger_names
from .store import Unavailable, store

logger = logging.getLogger(__name__)

TOPIC = "edgecache.purge"
MAX_PATH_LENGTH = 2000


def normalize_paths(paths) -> tuple[str, ...]:
    if isinstance(paths, str):
        raise TypeError("paths is a list of paths, not one string")
    unique = tuple(dict.fromkeys(paths))
    for path in unique:
        if not isinstance(path, str) or not path.startswith("/") or len(path) > MAX_PATH_LENGTH:
            raise ValueError(f"invalid path to purge {path!r}: a path starts with /")
    return unique


def purge(keys, *, paths=(), hard: bool = False) -> None:
    """Make every cache drop what shows ``keys`` (and, for caches that purge by path only,
    ``paths``) once the current transaction commits. ``hard`` for removals: the old copy is
    never served again, not even stale while the origin is down."""
    keys, paths = normalize_keys(keys), normalize_paths(paths)
    if not keys and not paths:
        return
    with transaction.atomic(savepoint=False):
        recorded: dict[str, int] = {}
        # Registered before the outbox's wake-up, so the origin cache has dropped the keys
        # before any worker purges a cache in front of it (which would refetch from it).
        transaction.on_commit(
            lambda: _drop_at_origin(keys, hard=hard, event_id=recorded.get("id")), robust=True
        )
        event = event_record(
            topic=TOPIC, payload={"keys": list(keys), "paths": list(paths), "hard": hard}
        )
        recorded["id"] = event.pk


def _drop_at_origin(keys, *, hard: bool, event_id: int | None) -> None:
    """In the process that made the change, right after commit: the editor's next look shows
    the change. Best effort; the worker's origin purger does it if this could not."""
    if not keys or "origin" not in purger_names():
        return
    try:
        store.bump(keys, hard=hard)
        if event_id is not None:
            store.mark_done(event_id)
    except Unavailable:
        pass  # the store logged the outage; the outbox event carries the purge


class PurgeFailed(Exception):
    def __init__(self, errors: list[PurgeError]):
        super().__init__("; ".join(str(error) for error in errors))
        waits = [error.retry_after for error in errors if error.retry_after is not None]
        self.retry_after = max(waits) if waits else None


def purge_event_handle(event) -> None:
    """Outbox handler: every configured purger (or those a retry names) drops the keys. When
    some fail and others succeed, a new event retries only the ones that failed."""
    payload = event.payload or {}
    request = PurgeRequest(
        keys=tuple(payload.get("keys", ())),
        paths=tuple(payload.get("paths", ())),
        hard=bool(payload.get("hard")),
        event_id=event.pk,
    )
    purgers = configured(only=payload.get("purgers"))
    failed: dict[str, PurgeError] = {}
    for purger in purgers:
        try:
            purger.purge(request)
        except PurgeError as exc:
            failed[purger.name] = exc
    if not failed:
        return
    if len(failed) == len(purgers):
        raise PurgeFailed(list(failed.values()))
    error = PurgeFailed(list(failed.values()))
    wait = retry_delay(1)
    if error.retry_after:
        wait = max(wait, timedelta(seconds=error.retry_after))
    retry = event_record(
        topic=TOPIC,
        payload={**payload, "purgers": list(failed), "retry_of": event.pk},
        available_at=timezone.now() + wait,
    )
    logger.warning(
        "Purge failed for some caches; retrying those",
        extra={"event_id": event.pk, "retry_event_id": retry.pk, "error": str(error)},
    )
