"""What every article service shares: the permission check, the audit entry, the revision
snapshot, the outbox record and the cleaning of text fields."""

from collections.abc import Iterable

import reversion
from django.db import models
from django.utils import timezone

from core.errors import Conflict, NotAllowed
from core.text import clean_text
from outbox.services import event_record

from ..models import Article, WorkflowEvent


class EditConflict(Conflict):
    """Someone saved the article after the version the change was based on (409/412)."""

    def __init__(self, article: Article):
        self.current_version = article.version
        self.changed_by = article.last_edited_by
        self.changed_at = article.modified_at
        who = user_label(self.changed_by)
        when = timezone.localtime(self.changed_at).strftime("%Y-%m-%d %H:%M:%S %Z")
        super().__init__(
            f"{who} changed this article at {when} (now version {article.version}). "
            "Your changes were not saved: review their version and apply your edits again."
        )


def user_label(user) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def audit(article: Article, *, actor, action: str, from_status: str, comment: str = "") -> None:
    WorkflowEvent.objects.create(
        article=article,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_status=from_status,
        to_status=article.status,
        comment=comment,
    )


def store_revision(article: Article, *, user, comment: str, extra=()) -> None:
    """Store a full snapshot of the article (with bylines, related links, corrections), and
    of ``extra`` objects the change is about (a live entry posted, edited or deleted)."""
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(article)
        for obj in extra:
            reversion.add_to_revision(obj)
        for related in (*article.bylines.all(), *article.related_links.all()):
            reversion.add_to_revision(related)
        for correction in article.corrections.all():
            reversion.add_to_revision(correction)
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(comment)


def record(topic: str, article: Article, **extra) -> None:
    event_record(topic=topic, payload={"article_id": article.pk, **extra})


def clean_field(model, field: str, value):
    """Text without the characters XML cannot carry (core.text), line breaks kept in text
    fields; everything else as given."""
    multiline = isinstance(model._meta.get_field(field), models.TextField)
    return clean_text(value, multiline=multiline)


def tag_names(tags: Iterable[str]) -> list[str]:
    names = (" ".join(clean_text(str(name), multiline=False).split()) for name in tags)
    return [name for name in names if name]


class ProposalConflict(Conflict):
    """Since a change was proposed, someone else changed the fields it changes: accepting it
    would overwrite their edits (409). ``changes`` lists those fields with the text the proposal
    was based on and the text now."""

    def __init__(self, article: Article, *, base_version: int, changes: list[dict]):
        self.base_version = base_version
        self.current_version = article.version
        self.changed_by = article.last_edited_by
        self.changed_at = article.modified_at
        self.changes = changes
        who = user_label(self.changed_by)
        when = timezone.localtime(self.changed_at).strftime("%Y-%m-%d %H:%M:%S %Z")
        labels = ", ".join(change["label"].lower() for change in changes) or "its text"
        super().__init__(
            f"The article changed since this change was proposed (version {base_version} then, "
            f"{article.version} now; last by {who} at {when}): {labels}. Nothing was "
            "overwritten: reject the proposal and ask for one against the current text."
        )
