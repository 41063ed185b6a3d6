"""/api/v1/articles/<id>/proposals/: a reporter on the byline of a live article proposes a
change; an editor accepts it (against the version it was proposed on) or rejects it. Every write
is one call to the articles services, the same ones behind the admin's pages."""

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from articles import policy
from articles.models import Article, ChangeProposal
from articles.services.common import ProposalConflict, user_label
from articles.services.proposals import (
    change_proposal_accept,
    change_proposal_create,
    change_proposal_reject,
)

from ..conditional import ConditionalGetMixin
from ..exceptions import ApiError
from ..permissions import StaffOnly
from ..schema import errors
from ..serializers.proposals import (
    ProposalConflictErrorSerializer,
    ProposalDecisionSerializer,
    ProposalSerializer,
    ProposalWriteSerializer,
)
from .base import CallerMixin, StrictQueryParamsMixin, parse_id

PROPOSAL_CONFLICT = OpenApiResponse(
    ProposalConflictErrorSerializer,
    description="Someone changed the proposed fields since the proposal was made, or it was "
    "already decided; nothing was written.",
    examples=[
        OpenApiExample(
            "Changed meanwhile",
            value={
                "detail": "The article changed since this change was proposed (version 4 "
                "then, 6 now; last by Ana Ruiz at 2030-05-04 09:12:44 UTC): title. Nothing "
                "was overwritten: reject the proposal and ask for one against the current text.",
                "errors": {},
                "conflict": {
                    "base_version": 4,
                    "current_version": 6,
                    "changed_by": "Ana Ruiz",
                    "changed_at": "2030-05-04T09:12:44Z",
                    "changes": [
                        {
                            "field": "title",
                            "label": "Title",
                            "base": "Harbour plan approved",
                            "current": "Harbour plan approved after long debate",
                        }
                    ],
                },
            },
            response_only=True,
        )
    ],
)


class _ProposalsBase(ConditionalGetMixin, StrictQueryParamsMixin, CallerMixin, GenericAPIView):
    permission_classes = [StaffOnly]
    paginated_actions = ("list",)

    def initial(self, request, *args, **kwargs):
        self.action = "list" if request.method in ("GET", "HEAD") else "write"
        super().initial(request, *args, **kwargs)

    def _article(self, pk) -> Article:
        article = policy.visible_to(self.request.user).filter(pk=parse_id(pk)).first()
        if article is None:
            raise Http404
        return article

    def _proposals(self, article: Article):
        """Editors see every proposal of the article; others their own."""
        proposals = article.change_proposals.select_related("proposed_by", "decided_by")
        if not policy.ArticlePolicy(self.request.user, article).can_decide_proposals():
            proposals = proposals.filter(proposed_by=self.request.user)
        return proposals.order_by("-created_at", "-pk")


class ArticleProposalsView(_ProposalsBase):
    """GET/POST /api/v1/articles/<id>/proposals/"""

    serializer_class = ProposalSerializer

    @extend_schema(
        summary="Proposed changes of an article",
        description="Staff. Editors see every proposal, others their own; newest first.",
        responses={200: ProposalSerializer(many=True), **errors(400, 401, 403, 404, 429)},
    )
    def get(self, request, pk):
        page = self.paginate_queryset(self._proposals(self._article(pk)))
        return self.get_paginated_response(ProposalSerializer(page, many=True).data)

    @extend_schema(
        summary="Propose a change to a live article",
        description="Reporters on the article's byline, while it is published (they may not "
        "edit it directly). Readers keep the live version until an editor accepts.",
        request=ProposalWriteSerializer,
        examples=[
            OpenApiExample(
                "A better headline", value={"title": "Harbour plan approved"}, request_only=True
            )
        ],
        responses={201: ProposalSerializer, **errors(400, 401, 403, 404, 429)},
    )
    def post(self, request, pk):
        article = self._article(pk)
        serializer = ProposalWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = change_proposal_create(
            user=request.user, article=article, data=serializer.validated_data
        )
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class ProposalDecisionView(_ProposalsBase):
    """POST /api/v1/articles/<id>/proposals/<proposal id>/accept/ or .../reject/"""

    serializer_class = ProposalDecisionSerializer
    decision = ""

    def _proposal(self, pk, proposal_id) -> ChangeProposal:
        proposal = self._proposals(self._article(pk)).filter(pk=parse_id(proposal_id)).first()
        if proposal is None:
            raise Http404
        return proposal


class ProposalAcceptView(ProposalDecisionView):
    @extend_schema(
        summary="Accept a proposed change",
        description="Editors. The change goes live as a new revision, checked against the "
        "version it was proposed on: if someone changed the same fields since, nothing is "
        "written and 409 shows what changed (edits to other fields are kept).",
        request=ProposalDecisionSerializer,
        responses={
            200: ProposalSerializer,
            **errors(400, 401, 403, 404, 429),
            409: PROPOSAL_CONFLICT,
        },
    )
    def post(self, request, pk, proposal_id):
        proposal = self._proposal(pk, proposal_id)
        serializer = ProposalDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            change_proposal_accept(
                user=request.user,
                proposal=proposal,
                substantive=serializer.validated_data["substantive"],
            )
        except ProposalConflict as conflict:
            raise _conflict(conflict) from None
        proposal.refresh_from_db()
        return Response(ProposalSerializer(proposal).data)


class ProposalRejectView(ProposalDecisionView):
    @extend_schema(
        summary="Reject a proposed change",
        description="Editors. The live article stays as it is.",
        request=ProposalDecisionSerializer,
        responses={200: ProposalSerializer, **errors(400, 401, 403, 404, 409, 429)},
    )
    def post(self, request, pk, proposal_id):
        proposal = self._proposal(pk, proposal_id)
        serializer = ProposalDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = change_proposal_reject(
            user=request.user,
            proposal=proposal,
            comment=serializer.validated_data.get("comment", ""),
        )
        return Response(ProposalSerializer(proposal).data)


def _conflict(conflict: ProposalConflict) -> ApiError:
    info = {
        "base_version": conflict.base_version,
        "current_version": conflict.current_version,
        "changed_by": user_label(conflict.changed_by),
        "changed_at": serializers.DateTimeField().to_representation(conflict.changed_at),
        "changes": conflict.changes,
    }
    return ApiError(conflict.message, status_code=409, extra={"conflict": info})
