"""What every comments service shares: its domain error, the moderator check, after-commit work."""

from django.core.exceptions import PermissionDenied

from core.errors import NotAllowed
from outbox.services import event_record


class CommentsClosed(NotAllowed):
    """The article does not accept new comments (403 for the API, a message on the page)."""


def can_moderate(user) -> bool:
    return bool(user is not None and user.is_active and user.has_perm("comments.moderate_comment"))


def require_moderator(actor) -> None:
    if not can_moderate(actor):
        raise PermissionDenied("Only moderators and editors can moderate comments.")


# Outbox topics of the comments' side effects (comments/handlers.py runs them).
NOTIFY_TOPIC = "comments.notify"
ALERT_TOPIC = "comments.moderators_alert"


def side_effect_record(topic: str, **payload) -> None:
    """Record a mail or alert with the change that causes it (the transactional outbox): a
    broker outage delays it, never loses it, and never fails the change."""
    event_record(topic=topic, payload=payload)
