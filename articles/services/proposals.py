"""Proposed changes to live articles: a byline reporter proposes, an editor accepts or rejects."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.errors import InvalidTransition

from .. import policy
from ..models import Article, ChangeProposal
from ..policy import ArticlePolicy
from ..revisions import DIFF_FIELDS, snapshot_at_version, snapshot_from_article
from ..richtext import sanitize_html
from .common import ProposalConflict, audit, clean_field, require, user_label
from .editing import article_update

# What a reporter may propose for a live article.
PROPOSABLE_FIELDS = {"title", "dek", "body", "seo_title", "meta_description", "credit_line"}


@transaction.atomic
def change_proposal_create(*, user, article: Article, data: dict) -> ChangeProposal:
    """A byline reporter proposes an edit to a live article; readers keep the live version."""
    require(
        ArticlePolicy(user, article).can_propose_change(),
        "Only reporters on this article's byline can propose changes to it.",
    )
    unknown = set(data) - PROPOSABLE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be proposed."))
    data = {k: clean_field(Article, k, v) for k, v in data.items()}
    clean = {k: (sanitize_html(v) if k == "body" else (v or "").strip()) for k, v in data.items()}
    proposal = ChangeProposal.objects.create(
        article=article, proposed_by=user, data=clean, base_version=article.version
    )
    audit(article, actor=user, action="propose_change", from_status=article.status)
    return proposal


def proposal_conflicts(proposal: ChangeProposal, article: Article) -> list[dict]:
    """The fields the proposal changes that someone else changed since it was made:
    [{"field", "label", "base", "current"}]. Edits to other fields merge without conflict."""
    if proposal.base_version == article.version:
        return []
    live = snapshot_from_article(article)
    base = snapshot_at_version(article, proposal.base_version)
    labels = dict(DIFF_FIELDS)
    changes = []
    for name in sorted(proposal.data):
        current = live.fields.get(name) or ""
        if base is None:
            before = None  # the base revision is gone: every proposed field may have changed
        else:
            before = base.fields.get(name) or ""
            if before == current:
                continue
        changes.append(
            {"field": name, "label": labels.get(name, name), "base": before, "current": current}
        )
    return changes


@transaction.atomic
def change_proposal_accept(*, user, proposal: ChangeProposal, substantive: bool = False) -> Article:
    """An editor publishes a proposed change as a new revision of the live article.

    Accepted against the version it was proposed on: if someone changed the same fields since,
    nothing is written and ProposalConflict shows what changed."""
    require(policy.is_editor(user), "Only editors can accept proposed changes.")
    proposal = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ChangeProposal.Status.PENDING:
        raise InvalidTransition("This proposal has already been decided.")
    locked = Article.objects.select_for_update().get(pk=proposal.article_id)
    changes = proposal_conflicts(proposal, locked)
    if changes:
        raise ProposalConflict(locked, base_version=proposal.base_version, changes=changes)
    who = user_label(proposal.proposed_by)
    article = article_update(
        user=user,
        article=locked,
        data=proposal.data,
        expected_version=locked.version,
        substantive=substantive,
        comment=f"Accepted the change proposed by {who}",
    )
    proposal.status = ChangeProposal.Status.ACCEPTED
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    audit(article, actor=user, action="accept_change", from_status=article.status, comment=who)
    return article


@transaction.atomic
def change_proposal_reject(*, user, proposal: ChangeProposal, comment: str = "") -> ChangeProposal:
    require(policy.is_editor(user), "Only editors can reject proposed changes.")
    proposal = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ChangeProposal.Status.PENDING:
        raise InvalidTransition("This proposal has already been decided.")
    proposal.status = ChangeProposal.Status.REJECTED
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    article = proposal.article
    audit(article, actor=user, action="reject_change", from_status=article.status, comment=comment)
    return proposal
