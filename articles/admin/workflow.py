"""What the admin offers whom: the workflow steps a user may take now, the articles they may
see, and how lateness is shown. The services are the judge; this only decides what to show."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q

from articles import policies
from articles.models import Article, Byline
from articles.services.sweeps import LATE_PUBLISH_LOG_THRESHOLD
from articles.services.workflow import (
    article_publish,
    article_return_to_draft,
    article_schedule,
    article_submit,
    article_unpublish,
)

Status = Article.Status

# A publish this late is shown as late (overdue: articles.models.OVERDUE_AFTER).
LATE_AFTER = LATE_PUBLISH_LOG_THRESHOLD

# The transitions offered as buttons and actions: (name, label, service, editors only), and
# the states each starts from (as the services allow; the service still decides).
TRANSITIONS = {
    "submit": ("Submit for review", article_submit, False),
    "publish": ("Publish", article_publish, True),
    "schedule": ("Schedule", article_schedule, True),
    "unpublish": ("Unpublish", article_unpublish, True),
    "return_to_draft": ("Return to draft", article_return_to_draft, True),
}
TRANSITION_FROM = {
    "submit": {Status.DRAFT},
    "publish": {Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.UNPUBLISHED},
    "schedule": {Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.UNPUBLISHED},
    "unpublish": {Status.PUBLISHED},
    "return_to_draft": {Status.IN_REVIEW, Status.SCHEDULED, Status.PUBLISHED, Status.UNPUBLISHED},
}
DONE = {
    "submit": "submitted for review",
    "publish": "published",
    "schedule": "scheduled",
    "unpublish": "unpublished",
    "return_to_draft": "returned to draft",
}


def transitions_for(user, article: Article | None) -> list[tuple[str, str]]:
    """The workflow buttons to show: what the services would allow this user right now."""
    status = article.status if article is not None else Status.DRAFT
    editor = policies.is_editor(user)
    may_edit = policies.can_create(user) if article is None else policies.can_edit(user, article)
    offered = []
    for name, (label, _, editors_only) in TRANSITIONS.items():
        if status not in TRANSITION_FROM[name]:
            continue
        if (editors_only and not editor) or not may_edit:
            continue
        offered.append((name, label))
    return offered


def visible_articles(user, queryset):
    """Editors see everything; other staff see published articles and their own work."""
    if policies.is_editor(user):
        return queryset
    own = Q(created_by=user) | Exists(
        Byline.objects.filter(article=OuterRef("pk"), author__user=user)
    )
    return queryset.filter(Q(status=Status.PUBLISHED) | own)


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
