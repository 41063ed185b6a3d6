"""Writes of the development mail outbox."""

from .backend import outbox_dir


def outbox_empty() -> int:
    """Delete every message in the outbox; returns how many there were."""
    folder = outbox_dir()
    removed = 0
    for path in folder.glob("*.eml") if folder.is_dir() else []:
        path.unlink(missing_ok=True)
        removed += 1
    return removed
