"""The editorial workflow: one function per transition (submit, publish, schedule, unpublish,
return to draft)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.errors import InvalidTransition

from .. import policy, purges
from ..models import Article
from ..policy import ArticlePolicy
from .common import audit, record, require, store_revision

Status = Article.Status


def _transition(article: Article, *, allowed_from: set[str], verb: str) -> Article:
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status not in allowed_from:
        names = ", ".join(sorted(Status(s).label.lower() for s in allowed_from))
        current = locked.get_status_display().lower()
        raise InvalidTransition(f"Only {names} articles can be {verb}; this one is {current}.")
    return locked


def go_live(article: Article, *, actor, now: datetime, action: str, comment: str) -> Article:
    """Make a locked article published as of ``now`` (the scheduler's sweep calls this too)."""
    from_status = article.status
    article.status = Status.PUBLISHED
    article.published_at = now
    if article.first_published_at is None:
        article.first_published_at = now
    article.publish_at = None if action != "publish_scheduled" else article.publish_at
    if action != "publish_scheduled":
        # The delay shown in the admin ("published 4 min late") is the scheduler's, not stale.
        article.publish_delay = None
    article.version += 1
    if actor is not None:
        article.last_edited_by = actor
    article.save()
    audit(article, actor=actor, action=action, from_status=from_status, comment=comment)
    store_revision(article, user=actor, comment=comment or "Published")
    record("article.published", article, is_breaking=article.is_breaking)
    purges.article_went_live(article)
    return article


def withdraw(article: Article, *, actor, action: str, comment: str, to=Status.UNPUBLISHED):
    """Take a locked article out of readers' sight (unpublish, return to draft, expiry)."""
    from_status = article.status
    article.status = to
    article.version += 1
    if actor is not None:
        article.last_edited_by = actor
    article.save()
    audit(article, actor=actor, action=action, from_status=from_status, comment=comment)
    if from_status == Status.PUBLISHED:
        record("article.unpublished", article)
        purges.article_withdrawn(article)
    return article


@transaction.atomic
def article_submit(*, user, article: Article, comment: str = "") -> Article:
    """Draft -> in review: the reporter hands the article to the editors."""
    locked = _transition(article, allowed_from=policy.SUBMIT_FROM, verb="submitted for review")
    require(ArticlePolicy(user, locked).can_submit(), "You may only submit articles you can edit.")
    locked.status = Status.IN_REVIEW
    locked.version += 1
    locked.last_edited_by = user
    locked.save()
    audit(locked, actor=user, action="submit", from_status=Status.DRAFT, comment=comment)
    return locked


@transaction.atomic
def article_publish(
    *, user, article: Article, publish_at: datetime | None = None, comment: str = ""
) -> Article:
    """Publish now, or schedule when ``publish_at`` is in the future. Editors only."""
    if publish_at is not None and publish_at > timezone.now():
        return article_schedule(user=user, article=article, publish_at=publish_at, comment=comment)
    require(policy.is_editor(user), "Only editors can publish articles.")
    locked = _transition(article, allowed_from=policy.PUBLISH_FROM, verb="published")
    return go_live(locked, actor=user, now=timezone.now(), action="publish", comment=comment)


@transaction.atomic
def article_schedule(*, user, article: Article, publish_at: datetime, comment: str = "") -> Article:
    """Set a future publish time; the scheduler publishes it then. Editors only."""
    require(policy.is_editor(user), "Only editors can schedule articles.")
    if publish_at is None or publish_at <= timezone.now():
        raise ValidationError({"publish_at": "Choose a time in the future to schedule."})
    locked = _transition(article, allowed_from=policy.PUBLISH_FROM, verb="scheduled")
    from_status = locked.status
    locked.status = Status.SCHEDULED
    locked.publish_at = publish_at
    locked.version += 1
    locked.last_edited_by = user
    locked.save()
    when = timezone.localtime(publish_at).strftime("%Y-%m-%d %H:%M %Z")
    audit(locked, actor=user, action="schedule", from_status=from_status, comment=comment or when)
    return locked


@transaction.atomic
def article_unpublish(*, user, article: Article, comment: str = "") -> Article:
    """Withdraw a live article (it is kept, and can be published again). Editors only."""
    require(policy.is_editor(user), "Only editors can unpublish articles.")
    locked = _transition(article, allowed_from=policy.UNPUBLISH_FROM, verb="unpublished")
    return withdraw(locked, actor=user, action="unpublish", comment=comment)


@transaction.atomic
def article_return_to_draft(*, user, article: Article, comment: str = "") -> Article:
    """Any state -> draft, by an editor (a live article is withdrawn from readers)."""
    require(policy.is_editor(user), "Only editors can return articles to draft.")
    locked = _transition(
        article, allowed_from=policy.RETURN_TO_DRAFT_FROM, verb="returned to draft"
    )
    if locked.status == Status.SCHEDULED:
        locked.publish_at = None
    return withdraw(locked, actor=user, action="return_to_draft", comment=comment, to=Status.DRAFT)


# The workflow steps by name, as the admin's buttons and the save service take them.
STEPS = {
    "submit": article_submit,
    "publish": article_publish,
    "schedule": article_schedule,
    "unpublish": article_unpublish,
    "return_to_draft": article_return_to_draft,
}
