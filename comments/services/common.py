"""What every comments service shares: its domain error, the moderator check, after-commit work."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from articles.caching import article_cache_bump
from core.errors import NotAllowed


class CommentsClosed(NotAllowed):
    """The article does not accept new comments (403 for the API, a message on the page)."""


def can_moderate(user) -> bool:
    return bool(user is not None and user.is_active and user.has_perm("comments.moderate_comment"))


def require_moderator(actor) -> None:
    if not can_moderate(actor):
        raise PermissionDenied("Only moderators and editors can moderate comments.")


def after_commit_page_bump(article_id: int) -> None:
    transaction.on_commit(lambda: article_cache_bump(article_id))


def queue_task_after_commit(task_name: str, **kwargs) -> None:
    def send() -> None:
        from .. import tasks

        getattr(tasks, task_name).delay(**kwargs)

    transaction.on_commit(send)
