"""Comments through the API: read the approved thread, post, report, moderate. Every write is
one call to the comments services, the same ones behind the site's forms and the admin."""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from articles.models import Article
from comments.forms import check_bot_fields, form_stamp
from comments.models import Comment
from comments.selectors import comment_get_for_reader, comment_thread_for_article
from comments.services import can_moderate, comment_flag, comment_moderate, comment_post
from core.clients import client_ip

from .. import keys
from ..conditional import ConditionalGetMixin, is_public_read
from ..exceptions import ApiError
from ..schema import COMMENT_TOO_FAST, DUPLICATE_COMMENT, errors
from ..serializers.comments import (
    CommentPostedSerializer,
    CommentPostSerializer,
    CommentSerializer,
    CommentStampSerializer,
    FlagSerializer,
    MessageSerializer,
    ModeratedSerializer,
    ModerateSerializer,
)
from .base import CallerMixin, StrictQueryParamsMixin, parse_id


class _CommentsBase(ConditionalGetMixin, StrictQueryParamsMixin, CallerMixin, GenericAPIView):
    permission_classes = [permissions.AllowAny]
    paginated_actions = ("list",)

    def initial(self, request, *args, **kwargs):
        self.action = "list" if request.method in ("GET", "HEAD") else "write"
        super().initial(request, *args, **kwargs)

    def _article(self, pk) -> Article:
        # Comments belong to published articles only, for every caller.
        article = Article.objects.published().filter(pk=parse_id(pk)).first()
        if article is None:
            raise Http404
        return article


class ArticleCommentsView(_CommentsBase):
    """GET/POST /api/v1/articles/<id>/comments/"""

    serializer_class = CommentSerializer

    @extend_schema(
        summary="Comments of an article",
        description="Approved comments, threaded: depth-first order, each reply after its "
        "parent, with parent and depth.",
        responses={200: CommentSerializer(many=True), **errors(304, 400, 401, 404, 429)},
    )
    def get(self, request, pk):
        article = self._article(pk)
        thread = comment_thread_for_article(article)
        page = self.paginate_queryset(thread.nodes)
        rows = [_comment_row(node.comment, node.depth) for node in page]
        self.public_keys = keys.comment_list_keys(article.pk)
        if not is_public_read(request):
            # Any comment activity, whatever its status: a rejection removes one from the
            # thread. (A public document's Last-Modified is the time it was rendered.)
            activity = Comment.objects.filter(article=article).aggregate(
                posted=Max("created_at"), moderated=Max("moderated_at"), edited=Max("edited_at")
            )
            self.last_modified = max((t for t in activity.values() if t), default=None)
        return self.get_paginated_response(CommentSerializer(rows, many=True).data)

    @extend_schema(
        summary="Post a comment",
        description="Anyone. The same checks as the site's form: field validation, rate limits "
        "per IP address and email, word rules, spam screening and moderation. Without a token, "
        "also the form's bot checks: send the stamp from GET .../comments/stamp/ once it is "
        "COMMENTS_MIN_SUBMIT_SECONDS old, and leave homepage out or empty. Most comments "
        "wait for a moderator (status pending).",
        request=CommentPostSerializer,
        examples=[
            OpenApiExample(
                "A reader's comment",
                value={
                    "author_name": "Sam",
                    "author_email": "sam@example.org",
                    "body": "The harbour plan should include a cycle path.",
                    "stamp": "eyJhIjo0MiwidCI6MTc2NDkzMjAwMH0:1vRa...",
                },
                request_only=True,
            )
        ],
        responses={
            201: CommentPostedSerializer,
            **errors(400, 401, 403, 404, 429, rules=(DUPLICATE_COMMENT, COMMENT_TOO_FAST)),
        },
    )
    def post(self, request, pk):
        article = self._article(pk)
        serializer = CommentPostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not request.user.is_authenticated:
            _check_bot_fields(article, data)
        comment = comment_post(
            article=article,
            author_name=data["author_name"],
            author_email=data["author_email"],
            author_url=data.get("author_url", ""),
            body=data["body"],
            parent_id=data.get("parent"),
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
            user=request.user,
        )
        # Spam is kept without telling the poster: it looks like any held comment.
        shown = "approved" if comment.status == Comment.Status.APPROVED else "pending"
        return Response({"id": comment.pk, "status": shown}, status=status.HTTP_201_CREATED)


def _check_bot_fields(article: Article, data: dict) -> None:
    """A post without a token passes the site form's bot checks (comments.forms)."""
    try:
        check_bot_fields(
            article_id=article.pk, homepage=data.get("homepage", ""), stamp=data.get("stamp", "")
        )
    except ValidationError as error:
        field = "homepage" if error.code == "honeypot" else "stamp"
        raise ApiError(error.messages[0], status_code=400, errors={field: error.messages}) from None


class CommentStampView(_CommentsBase):
    """GET /api/v1/articles/<id>/comments/stamp/"""

    serializer_class = CommentStampSerializer
    paginated_actions = ()

    @extend_schema(
        summary="A stamp for posting a comment",
        description="What the site's comment form carries: posting without a token needs a "
        "stamp of the article that is at least COMMENTS_MIN_SUBMIT_SECONDS old and not older "
        "than COMMENTS_FORM_MAX_AGE. Never cached.",
        responses={200: CommentStampSerializer, **errors(400, 404, 429)},
    )
    def get(self, request, pk):
        article = self._article(pk)
        now = time.time()
        # Private (no keys): a stamp is signed with the time it was asked for.
        return Response(
            {
                "stamp": form_stamp(article.pk, now),
                "not_before": _moment(now + settings.COMMENTS_MIN_SUBMIT_SECONDS),
                "expires_at": _moment(now + settings.COMMENTS_FORM_MAX_AGE),
            }
        )


def _moment(seconds: float) -> str:
    return datetime.fromtimestamp(int(seconds), tz=UTC).isoformat().replace("+00:00", "Z")


def _comment_row(comment: Comment, depth: int) -> dict:
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "depth": depth,
        "author_name": comment.author_name,
        "author_url": comment.author_url,
        "body": comment.body,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
    }


class CommentModerateView(_CommentsBase):
    """POST /api/v1/comments/<id>/moderate/"""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ModerateSerializer

    @extend_schema(
        summary="Moderate a comment",
        description="Moderators and editors: approve, reject or mark as spam.",
        request=ModerateSerializer,
        examples=[OpenApiExample("Approve", value={"action": "approve"}, request_only=True)],
        responses={200: ModeratedSerializer, **errors(400, 401, 403, 404, 429)},
    )
    def post(self, request, pk):
        if not can_moderate(request.user):
            return Response(
                {"detail": "Only moderators and editors can moderate comments.", "errors": {}},
                status=status.HTTP_403_FORBIDDEN,
            )
        comment = Comment.objects.filter(pk=parse_id(pk)).first()
        if comment is None:
            raise Http404
        serializer = ModerateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = comment_moderate(actor=request.user, comment=comment, **serializer.validated_data)
        return Response({"id": comment.pk, "status": comment.status})


class CommentFlagView(_CommentsBase):
    """POST /api/v1/comments/<id>/flag/"""

    serializer_class = FlagSerializer

    @extend_schema(
        summary="Report a comment",
        description="Anyone may report an approved comment to the moderators.",
        request=FlagSerializer,
        examples=[OpenApiExample("Abuse", value={"reason": "abuse"}, request_only=True)],
        responses={202: MessageSerializer, **errors(400, 401, 404, 429)},
    )
    def post(self, request, pk):
        comment = comment_get_for_reader(parse_id(pk))
        if comment is None:
            raise Http404
        serializer = FlagSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        comment_flag(
            comment=comment,
            reason=data["reason"],
            text=data.get("text", ""),
            reporter_email=data.get("reporter_email", ""),
            ip=client_ip(request),
            user=request.user,
        )
        return Response(
            {"detail": "Thank you: the moderators will look at this comment."},
            status=status.HTTP_202_ACCEPTED,
        )
