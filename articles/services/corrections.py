"""Corrections, clarifications and update notes shown to readers. Editors only."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.text import clean_text

from .. import purges
from ..models import Article, Correction
from ..policy import ArticlePolicy
from .common import audit, record, require, store_revision

Status = Article.Status


@transaction.atomic
def correction_add(*, user, article: Article, kind: str, text: str) -> Correction:
    """Add a dated correction, clarification or update note. Editors only."""
    require(ArticlePolicy(user, article).can_correct(), "Only editors can add corrections.")
    text = clean_text((text or "").strip())
    correction = Correction(article=article, kind=kind, text=text, created_by=user)
    correction.full_clean(exclude=["article", "created_by"])
    correction.save()
    audit(article, actor=user, action="correction_add", from_status=article.status, comment=text)
    store_revision(article, user=user, comment=f"Added a {correction.get_kind_display().lower()}")
    if article.status == Status.PUBLISHED:
        record("article.corrected", article, correction_id=correction.pk)
        purges.article_shown_changed(article)
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
    audit(article, actor=user, action="correction_edit", from_status=article.status, comment=text)
    store_revision(article, user=user, comment="Edited a correction")
    if article.status == Status.PUBLISHED:
        record("article.corrected", article, correction_id=correction.pk)
        purges.article_shown_changed(article)
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
