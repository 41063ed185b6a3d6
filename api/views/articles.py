"""/api/v1/articles/: read published news; staff create, edit and move articles through the
workflow. Every write calls one service; every read starts from the articles selectors."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from articles import policy
from articles.models import Article, Byline
from articles.policy import ArticlePolicy
from articles.revisions import versions_for
from articles.selectors import article_list_published, article_page_queryset
from articles.services.common import EditConflict
from articles.services.saving import article_save
from articles.services.workflow import article_publish, article_submit, article_unpublish
from core.links import absolute_url

from .. import keys
from ..conditional import ConditionalGetMixin, expected_version
from ..exceptions import ApiError
from ..filters import ArticleFilter, FilterBackend
from ..permissions import ReadOnlyOrCreateArticles, StaffOnly
from ..schema import (
    BAD_DATE_FILTER,
    CONFLICT,
    STAFF_ONLY_FILTER,
    UNKNOWN_SECTION,
    errors,
)
from ..selectors import article_last_modified, with_comment_stats, with_tags
from ..serializers.articles import (
    ArticleSerializer,
    ArticleSummarySerializer,
    ArticleWriteSerializer,
)
from ..serializers.workflow import (
    PublishSerializer,
    RevisionSerializer,
    TransitionSerializer,
)
from .base import CallerMixin, StrictQueryParamsMixin, parse_id

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description='The ETag you read (e.g. "v7-3f2a..."); a stale one answers 412. Or send the '
    "version field in the body.",
)
CREATE_EXAMPLE = OpenApiExample(
    "A draft with a byline and tags",
    value={
        "title": "Council approves harbour plan",
        "dek": "The vote ends two years of debate over the waterfront.",
        "body": "<p>The city council voted 31 to 12 on Tuesday...</p>",
        "section": "city",
        "tags": ["Harbour", "City council"],
        "authors": [3, {"id": 7, "role": "Photos by"}],
        "related": [118],
    },
    request_only=True,
)
PATCH_EXAMPLE = OpenApiExample(
    "Change the headline of version 4",
    value={"title": "Council approves harbour plan after long debate", "version": 4},
    request_only=True,
)


@extend_schema_view(
    list=extend_schema(
        summary="List articles",
        description="Published articles, newest first (best match first with q). Staff may "
        "add status to list drafts, articles in review, scheduled or withdrawn ones. List items "
        "leave out body, reading_time, related and corrections: fetch the article for those.",
        responses={
            200: ArticleSummarySerializer(many=True),
            **errors(
                304,
                400,
                401,
                404,
                429,
                rules=(STAFF_ONLY_FILTER, UNKNOWN_SECTION, BAD_DATE_FILTER),
            ),
        },
    ),
    retrieve=extend_schema(
        summary="Get an article",
        description="A published article; staff may fetch any article. The ETag of a staff "
        "response carries the article's version for If-Match.",
        responses={200: ArticleSerializer, **errors(304, 400, 401, 404, 429)},
    ),
    create=extend_schema(
        summary="Create a draft",
        description="Reporters, editors and administrators. The new article is a draft.",
        request=ArticleWriteSerializer,
        examples=[CREATE_EXAMPLE],
        responses={201: ArticleSerializer, **errors(400, 401, 403, 429, rules=(UNKNOWN_SECTION,))},
    ),
    partial_update=extend_schema(
        summary="Edit an article",
        description="Optimistic concurrency: send If-Match with the ETag you read, or the "
        "version field. If someone saved in between, nothing is written: 412 (If-Match) or "
        "409 (version) names who changed the article and when.",
        request=ArticleWriteSerializer,
        parameters=[IF_MATCH],
        examples=[PATCH_EXAMPLE],
        responses={
            200: ArticleSerializer,
            **errors(400, 401, 403, 404, 428, 429, rules=(UNKNOWN_SECTION,)),
            409: CONFLICT,
            412: CONFLICT,
        },
    ),
)
class ArticleViewSet(
    ConditionalGetMixin, StrictQueryParamsMixin, CallerMixin, viewsets.GenericViewSet
):
    permission_classes = [ReadOnlyOrCreateArticles]
    filter_backends = [FilterBackend]
    filterset_class = ArticleFilter
    serializer_class = ArticleSerializer
    lookup_value_regex = r"[0-9]+"
    paginated_actions = ("list", "revisions")
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Article.objects.none()  # for the schema; reads use the selectors below

    def get_queryset(self):
        return article_list_published()

    # -- reads ---------------------------------------------------------------------------------
    # Anonymous reads are public documents carrying the keys of what they show (api/keys.py);
    # the origin cache answers repeated ones without reaching this view. A list has no
    # Last-Modified for staff: no column of the articles still in it records one that left.
    def list(self, request):
        articles = with_comment_stats(self.filter_queryset(self.get_queryset()))
        # Tags come in one query for the page (with_tags) instead of taggit's prefetch.
        articles = articles.prefetch_related(None).prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )
        page = with_tags(self.paginate_queryset(articles))
        self.public_keys = keys.article_list_keys(page, filters=self.filter_values)
        if self.filter_values.get("q"):
            # An edit can make an article match a search it did not match: no key says which.
            self.shared_max_age = settings.API_CACHE_MAX_AGE
        data = ArticleSummarySerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(data.data)

    def retrieve(self, request, pk=None):
        article = self._article_for_read(pk)
        data = self._detail(article)
        related = [item["id"] for item in data["related"] if item["id"] is not None]
        self.public_keys = keys.article_keys(article, related_ids=related)
        return Response(data)

    def _article_for_read(self, pk) -> Article:
        base = policy.visible_to(self.request.user)
        article = with_comment_stats(article_page_queryset(base)).filter(pk=parse_id(pk)).first()
        if article is None:
            raise Http404
        return article

    def _article_for_write(self, pk) -> Article:
        article = policy.visible_to(self.request.user).filter(pk=parse_id(pk)).first()
        if article is None:
            raise Http404
        return article

    def _detail(self, article: Article) -> dict:
        self.etag_version = article.version
        self.last_modified = article_last_modified(article)
        return ArticleSerializer(article, context=self.get_serializer_context()).data

    # -- writes --------------------------------------------------------------------------------
    def create(self, request):
        serializer = ArticleWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" in data:
            raise ApiError(
                "A new article has no version yet.",
                status_code=400,
                errors={"version": ["Only send version when you edit an article."]},
            )
        data.pop("substantive", None)
        comment = data.pop("comment", "")
        bylines, tags, related = (data.pop(name, ()) for name in ("authors", "tags", "related"))
        article = article_save(
            user=request.user,
            article=None,
            data=data,
            bylines=bylines,
            tags=tags,
            related=related,
            comment=comment,
        )
        body = self._detail(self._article_for_read(article.pk))
        location = absolute_url(reverse("api:article-detail", args=[article.pk]))
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    def partial_update(self, request, pk=None):
        article = self._article_for_write(pk)
        serializer = ArticleWriteSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if_match = request.headers.get("If-Match")
        body_version = data.pop("version", None)
        expected = expected_version(if_match, body_version)
        substantive = data.pop("substantive", False)
        comment = data.pop("comment", "")
        bylines = data.pop("authors", None)
        tags = data.pop("tags", None)
        related = data.pop("related", None)
        if not (data or bylines is not None or tags is not None or related is not None):
            raise ApiError(
                "Nothing to change: send at least one field.", status_code=400, errors={}
            )
        try:
            article_save(
                user=request.user,
                article=article,
                data=data,
                expected_version=expected,
                bylines=bylines,
                tags=tags,
                related=related,
                substantive=substantive,
                comment=comment,
            )
        except EditConflict as exc:
            raise _conflict(exc, precondition=if_match is not None) from None
        return Response(self._detail(self._article_for_read(article.pk)))

    # -- workflow ------------------------------------------------------------------------------
    def _transition(self, request, pk, serializer_class, service, **fixed):
        article = self._article_for_write(pk)
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        service(user=request.user, article=article, **serializer.validated_data, **fixed)
        return Response(self._detail(self._article_for_read(article.pk)))

    @extend_schema(
        summary="Submit for review",
        description="Draft to in review: the reporter hands the article to the editors.",
        request=TransitionSerializer,
        responses={200: ArticleSerializer, **errors(400, 401, 403, 404, 409, 429)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, pk, TransitionSerializer, article_submit)

    @extend_schema(
        summary="Publish or schedule",
        description="Editors only. Without publish_at, or with one in the past, the article "
        "goes live now; a future publish_at schedules it.",
        request=PublishSerializer,
        examples=[
            OpenApiExample("Publish now", value={}, request_only=True),
            OpenApiExample(
                "Schedule", value={"publish_at": "2030-05-04T06:00:00+02:00"}, request_only=True
            ),
        ],
        responses={200: ArticleSerializer, **errors(400, 401, 403, 404, 409, 429)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._transition(request, pk, PublishSerializer, article_publish)

    @extend_schema(
        summary="Unpublish",
        description="Editors only: withdraw a live article from readers (it can be published "
        "again).",
        request=TransitionSerializer,
        responses={200: ArticleSerializer, **errors(400, 401, 403, 404, 409, 429)},
    )
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        return self._transition(request, pk, TransitionSerializer, article_unpublish)

    @extend_schema(
        summary="Revision history",
        description="Staff only. Every saved revision, newest first.",
        responses={200: RevisionSerializer(many=True), **errors(304, 400, 401, 403, 404, 429)},
    )
    @action(detail=True, methods=["get"], permission_classes=[StaffOnly], filter_backends=[])
    def revisions(self, request, pk=None):
        article = self._article_for_write(pk)
        if not ArticlePolicy(request.user, article).can_see_revisions():
            raise PermissionDenied("You may not see this article's revisions.")
        versions = versions_for(article)
        page = self.paginate_queryset(versions)
        self.last_modified = max(
            (v.revision.date_created for v in page), default=article.modified_at
        )
        return self.get_paginated_response(RevisionSerializer(page, many=True).data)


def _conflict(exc: EditConflict, *, precondition: bool) -> ApiError:
    info = {
        "current_version": exc.current_version,
        "changed_by": _person(exc.changed_by),
        "changed_at": serializers.DateTimeField().to_representation(exc.changed_at),
    }
    if precondition:
        return ApiError(exc.message, status_code=412, extra={"conflict": info})
    return ApiError(
        exc.message, status_code=409, errors={"version": [exc.message]}, extra={"conflict": info}
    )


def _person(user) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()
