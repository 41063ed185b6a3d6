"""Editorial pages of an article: proposed changes to a live article and its correction notes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404

from articles.models import Article, ChangeProposal
from articles.policy import ArticlePolicy
from articles.revisions import (
    proposal_snapshot,
    snapshot_diff,
    snapshot_from_article,
    text_diff_html,
)
from articles.richtext import sanitize_html
from articles.services import corrections
from articles.services.proposals import (
    PROPOSABLE_FIELDS,
    change_proposal_accept,
    change_proposal_create,
    change_proposal_reject,
    proposal_conflicts,
)

from .forms import CorrectionDeleteForm, CorrectionEditForm, ProposalDecisionForm, ProposalForm
from .views import DOMAIN_ERRORS, allow_editor, change_url, editor_media, refuse, render
from .workflow import error_text


# ---------------------------------------------------------------------------
# Proposed changes to live articles
# ---------------------------------------------------------------------------
def propose(model_admin, request, article: Article):
    if not ArticlePolicy(request.user, article).can_propose_change():
        raise PermissionDenied("Only reporters on this article's byline can propose changes.")
    live = {name: getattr(article, name) for name in PROPOSABLE_FIELDS}
    form = ProposalForm(request.POST or None, initial=live)
    if request.method == "POST" and form.is_valid():
        data = {}
        for name, value in form.cleaned_data.items():
            normalized = sanitize_html(value or "") if name == "body" else (value or "").strip()
            if normalized != (live[name] or ""):
                data[name] = value
        if not data:
            form.add_error(None, "Nothing differs from the live article.")
        else:
            try:
                change_proposal_create(user=request.user, article=article, data=data)
            except DOMAIN_ERRORS as error:
                refuse(error)
                form.add_error(None, error_text(error))
            else:
                messages.success(
                    request,
                    "Your change is proposed: an editor will review it. Readers keep seeing "
                    "the live version until then.",
                )
                return HttpResponseRedirect(change_url(article))
    pending = article.change_proposals.filter(
        proposed_by=request.user, status=ChangeProposal.Status.PENDING
    )
    response = render(
        model_admin,
        request,
        "propose.html",
        article,
        f"Propose a change: {article}",
        form=form,
        pending=pending,
        media=editor_media(request, model_admin.media + form.media),
    )
    return allow_editor(response)


def proposal_review(model_admin, request, article: Article, proposal_id: int):
    proposal = get_object_or_404(
        article.change_proposals.select_related("proposed_by", "decided_by"), pk=proposal_id
    )
    is_editor = ArticlePolicy(request.user, article).can_decide_proposals()
    if not is_editor and proposal.proposed_by_id != request.user.pk:
        raise PermissionDenied
    form = ProposalDecisionForm(request.POST or None)
    if request.method == "POST":
        if not is_editor:
            raise PermissionDenied("Only editors can accept or reject proposed changes.")
        decision = request.POST.get("decision")
        if decision not in {"accept", "reject"}:
            form.add_error(None, "Choose to accept or reject the change.")
        elif form.is_valid():
            try:
                if decision == "accept":
                    change_proposal_accept(
                        user=request.user,
                        proposal=proposal,
                        substantive=form.cleaned_data["substantive"],
                    )
                else:
                    change_proposal_reject(
                        user=request.user, proposal=proposal, comment=form.cleaned_data["comment"]
                    )
            except DOMAIN_ERRORS as error:
                refuse(error)
                form.add_error(None, error_text(error))
            else:
                verb = "accepted and live" if decision == "accept" else "rejected"
                messages.success(request, f"The proposed change is {verb}.")
                return HttpResponseRedirect(change_url(article))
    live = snapshot_from_article(article)
    pending = proposal.status == ChangeProposal.Status.PENDING
    conflicts = [
        {
            "label": change["label"],
            "html": text_diff_html(change["base"], change["current"])
            if change["base"] is not None
            else text_diff_html(change["current"], change["current"]),
        }
        for change in (proposal_conflicts(proposal, article) if pending else [])
    ]
    return render(
        model_admin,
        request,
        "proposal_review.html",
        article,
        f"Proposed change: {article}",
        proposal=proposal,
        changes=snapshot_diff(live, proposal_snapshot(proposal)),
        outdated=proposal.base_version != article.version,
        conflicts=conflicts,
        can_decide=is_editor and pending,
        form=form,
    )


# ---------------------------------------------------------------------------
# Correction notes: editing and removal are editor actions, kept in the history
# ---------------------------------------------------------------------------
def _correction(request, article: Article, correction_id: int):
    if not ArticlePolicy(request.user, article).can_correct():
        raise PermissionDenied("Only editors can change correction notes.")
    return get_object_or_404(article.corrections, pk=correction_id)


def correction_edit(model_admin, request, article: Article, correction_id: int):
    correction = _correction(request, article, correction_id)
    original_text = correction.text
    form = CorrectionEditForm(request.POST or None, instance=correction)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.correction_update(
                user=request.user,
                correction=correction,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
        except DOMAIN_ERRORS as error:
            refuse(error)
            form.add_error(None, error_text(error))
        else:
            messages.success(request, "The note is updated; its earlier wording is in the history.")
            return HttpResponseRedirect(change_url(article))
    return render(
        model_admin,
        request,
        "correction_edit.html",
        article,
        f"Edit a note: {article}",
        form=form,
        correction=correction,
        original_text=original_text,
    )


def correction_delete(model_admin, request, article: Article, correction_id: int):
    correction = _correction(request, article, correction_id)
    form = CorrectionDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.correction_delete(
                user=request.user, correction=correction, reason=form.cleaned_data["reason"]
            )
        except DOMAIN_ERRORS as error:
            refuse(error)
            form.add_error(None, error_text(error))
        else:
            messages.success(request, "The note is removed; its text and your reason are logged.")
            return HttpResponseRedirect(change_url(article))
    return render(
        model_admin,
        request,
        "correction_delete.html",
        article,
        f"Remove a note: {article}",
        form=form,
        correction=correction,
    )
