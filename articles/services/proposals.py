"""Proposed changes to live articles: a byline reporter proposes, an editor accepts or rejects."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.errors import InvalidTransition

from .. import policies
from ..models import Article, ChangeProposal
from ..richtext import sanitize_html
from .common import audit, clean_field, require, user_label
from .editing import article_update

# What a reporter may propose for a live article.
PROPOSABLE_FIELDS = {"title", "dek", "body", "seo_title", "meta_description", "credit_line"}


@transaction.atomic
def change_proposal_create(*, user, article: Article, data: dict) -> ChangeProposal:
    """A byline reporter proposes an edit to a live article; readers keep the live version."""
    require(
        policies.can_propose_change(user, article),
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


@transaction.atomic
def change_proposal_accept(*, user, proposal: ChangeProposal, substantive: bool = False) -> Article:
    """An editor publishes a proposed change as a new revision of the live article."""
    require(policies.is_editor(user), "Only editors can accept proposed changes.")
    proposal = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ChangeProposal.Status.PENDING:
        raise InvalidTransition("This proposal has already been decided.")
    who = user_label(proposal.proposed_by)
    article = article_update(
        user=user,
        article=proposal.article,
        data=proposal.data,
        expected_version=None,
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
    require(policies.is_editor(user), "Only editors can reject proposed changes.")
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
