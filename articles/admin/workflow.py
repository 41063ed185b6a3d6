"""What the admin offers whom: the workflow steps a user may take now (as articles.policy
answers) and how lateness is shown. The services are the judge; this only decides what to show."""

from datetime import timedelta

from django.core.exceptions import ValidationError

from articles.models import Article
from articles.policy import ArticlePolicy
from articles.services.sweeps import LATE_PUBLISH_LOG_THRESHOLD

Status = Article.Status

# A publish this late is shown as late (overdue: articles.models.OVERDUE_AFTER).
LATE_AFTER = LATE_PUBLISH_LOG_THRESHOLD

# The workflow steps (articles.services.workflow.STEPS) as buttons and actions name them.
LABELS = {
    "submit": "Submit for review",
    "publish": "Publish",
    "schedule": "Schedule",
    "unpublish": "Unpublish",
    "return_to_draft": "Return to draft",
}
DONE = {
    "submit": "submitted for review",
    "publish": "published",
    "schedule": "scheduled",
    "unpublish": "unpublished",
    "return_to_draft": "returned to draft",
}


def transitions_for(user, article: Article | None) -> list[tuple[str, str]]:
    """The workflow buttons to show: the steps the policy allows this user right now (a new
    article is the user's own draft)."""
    if article is None:
        article = Article(status=Status.DRAFT, created_by=user if user.is_authenticated else None)
    return [(name, LABELS[name]) for name in ArticlePolicy(user, article).steps()]


def delay_text(delay: timedelta) -> str:
    seconds = max(int(delay.total_seconds()), 0)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return getattr(error, "message", None) or str(error)
