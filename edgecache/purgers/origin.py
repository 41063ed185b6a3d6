from ..store import Unavailable, store
from . import PurgeError, Purger, PurgeRequest


class OriginPurger(Purger):
    """The origin cache: new versions for the purged keys, seen by every process at once."""

    name = "origin"

    def purge(self, request: PurgeRequest) -> None:
        if not request.keys:
            return
        try:
            # The web process that made the change usually did it already, right after commit.
            if request.event_id is not None and store.is_done(request.event_id):
                return
            store.bump(request.keys, hard=request.hard)
        except Unavailable as exc:
            raise PurgeError(f"origin: the cache is unavailable: {exc}") from exc
