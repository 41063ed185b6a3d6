"""Public documents any shared cache can hold, and the purges that keep them right.

    from edgecache import cache_public, cache_private, purge

Bottom-layer infrastructure: it knows keys and paths, never what they stand for.
"""

from .headers import cache_private, cache_public


def purge(keys, *, paths=(), hard: bool = False) -> None:
    """See edgecache.services.purge (imported on use: this package loads before the models)."""
    from .services import purge as _purge

    _purge(keys, paths=paths, hard=hard)


__all__ = ["cache_private", "cache_public", "purge"]
