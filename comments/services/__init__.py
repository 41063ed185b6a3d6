"""Writes for comments: posting, reporting, moderating, editing and banning.

The form view, the admin, the API and the worker all call these functions, so a rule (who
may moderate, what is held, what is rate-limited) lives here once. Domain errors carry a
message a reader or moderator can read; entry points turn them into form errors or
400/403/429 responses.
"""

from ..validation import comment_validate
from .common import CommentsClosed, can_moderate
from .moderation import (
    ban_create,
    comment_ban_author,
    comment_edit,
    comment_moderate,
    comments_moderate,
)
from .posting import comment_flag, comment_post

__all__ = [
    "CommentsClosed",
    "ban_create",
    "can_moderate",
    "comment_ban_author",
    "comment_edit",
    "comment_flag",
    "comment_moderate",
    "comment_post",
    "comment_validate",
    "comments_moderate",
]
