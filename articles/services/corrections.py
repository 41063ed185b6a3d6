"""Corrections, clarifications and update notes shown to readers. Editors only.

A note added to or reworded on a live article is a change readers and search engines must see
(Google asks that dateModified reflect it): the article's "Updated" time moves to it, and with
it the page's "Updated" line, its JSON-LD dateModified, the feeds' Atom <updated> and the API's
``updated_at``. Removing a note leaves that time as it was.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.text import clean_text

from .. import purges
from ..models import Article, Correction
from ..policy import ArticlePolicy
from .common import audit, record, require, store_revision

Status = Article.Status


def _mark_updated(article: Article, moment) -> None:
    """Move a live article's "Updated" time to ``moment`` (never back) and purge what shows it."""
    later = Q(updated_at__isnull=True) | Q(updated_at__lt=moment)
    if Article.objects.filter(later, pk=article.pk).update(
        updated_at=moment, modified_at=timezone.now()
    ):
        article.updated_at = moment
    else:
        article.refresh_from_db(fields=["updated_at"])
    purges.article_corrected(article)


@transaction.atomic
def correction_add(*, user, article: Article, kind: str, text: str) -> Correction:
    """Add a dated correction, clarification or update note. Editors only."""
    require(ArticlePolicy(user, article).can_correct(), "Only editors can add corrections.")
    text = clean_text((text or "").strip())
    correction = Correction(article=article, kind=kind, text=text, created_by=user)
    correction.full_clean(exclude=["article", "created_by"])
    correction.save()
    if article.status == Status.PUBLISHED:
        _mark_updated(article, correction.noted_at)
    audit(article, actor=user, action="correction_add", from_status=article.status, comment=text)
    store_revision(article, user=user, comment=f"Added a {correction.get_kind_display().lower()}")
    if article.status == Status.PUBLISHED:
        record("article.corrected", article, correction_id=correction.pk)
    return correction


@transaction.atomic
def correction_update(*, user, correction: Correction, kind: str, text: str) -> Correction:
    """Edit a note; the previous wording stays in the article's revision history."""
    rules = ArticlePolicy(user, correction.article)
    require(rules.can_correct(), "Only editors can edit corrections.")
    correction.kind = kind
    correction.text = clean_text((text or "").strip())
    correction.full_clean(exclude=["article", "created_by"])
    correction.save()
    article = correction.article
    if article.status == Status.PUBLISHED:
        _mark_updated(article, timezone.now())
    audit(article, actor=user, action="correction_edit", from_status=article.status, comment=text)
    store_revision(article, user=user, comment="Edited a correction")
    if article.status == Status.PUBLISHED:
        record("article.corrected", article, correction_id=correction.pk)
    return correction


@transaction.atomic
def correction_delete(*, user, correction: Correction, reason: str) -> None:
    """Remove a note. Editors only, with a reason; the removed text is kept in the audit log."""
    rules = ArticlePolicy(user, correction.article)
    require(rules.can_correct(), "Only editors can delete corrections.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why this note is being removed."})
    article = correction.article
    audit(
        article,
        actor=user,
        action="correction_delete",
        from_status=article.status,
        comment=f"Removed {correction.get_kind_display().lower()} of "
        f"{correction.noted_at:%Y-%m-%d}: {correction.text!r}. Reason: {reason.strip()}",
    )
    correction.delete()
    store_revision(article, user=user, comment="Removed a correction")
    if article.status == Status.PUBLISHED:
        record("article.corrected", article)
        purges.article_shown_changed(article)
