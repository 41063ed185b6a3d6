"""/api/v1/authors/, /api/v1/sections/, /api/v1/tags/: read by anyone, written by editors."""

from django.db.models import Max
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response
from taggit.models import Tag

from articles import policy
from articles.models import Section
from articles.services.sections import section_save
from authors.models import Author
from authors.services import author_create, author_update

from .. import keys
from ..conditional import ConditionalGetMixin, is_public_read
from ..permissions import ReadOnlyOrEditor
from ..schema import errors
from ..serializers.taxonomy import (
    AuthorSerializer,
    AuthorWriteSerializer,
    SectionSerializer,
    SectionWriteSerializer,
    TagListSerializer,
)
from .base import CallerMixin, StrictQueryParamsMixin, parse_id


class _Base(ConditionalGetMixin, StrictQueryParamsMixin, CallerMixin, viewsets.GenericViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]


@extend_schema_view(
    list=extend_schema(
        summary="List authors",
        description="Active authors and anyone with a published byline; staff see all.",
        responses={200: AuthorSerializer(many=True), **errors(304, 400, 401, 404, 429)},
    ),
    retrieve=extend_schema(
        summary="Get an author",
        responses={200: AuthorSerializer, **errors(304, 400, 401, 404, 429)},
    ),
    create=extend_schema(
        summary="Add an author",
        description="Editors only.",
        request=AuthorWriteSerializer,
        examples=[
            OpenApiExample(
                "A freelancer",
                value={"name": "Jo Lee", "job_title": "Freelance photographer"},
                request_only=True,
            )
        ],
        responses={201: AuthorSerializer, **errors(400, 401, 403, 429)},
    ),
    partial_update=extend_schema(
        summary="Change an author",
        description="Editors only.",
        request=AuthorWriteSerializer,
        responses={200: AuthorSerializer, **errors(400, 401, 403, 404, 429)},
    ),
)
class AuthorViewSet(_Base):
    permission_classes = [ReadOnlyOrEditor]
    serializer_class = AuthorSerializer
    lookup_value_regex = r"[0-9]+"
    queryset = Author.objects.none()

    def get_queryset(self):
        return policy.authors_visible_to(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset().order_by("name", "pk"))
        self.public_keys = keys.author_list_keys()
        # A public document's Last-Modified is the time it was rendered (api/conditional.py).
        self.last_modified = max((a.updated_at for a in page), default=None)
        if page and not is_public_read(request):
            latest = Author.objects.aggregate(latest=Max("updated_at"))["latest"]
            self.last_modified = max(self.last_modified, latest)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        author = self._get(pk)
        self.public_keys = keys.author_keys(author.pk)
        self.last_modified = author.updated_at
        return Response(self.get_serializer(author).data)

    def _get(self, pk) -> Author:
        author = self.get_queryset().filter(pk=parse_id(pk)).first()
        if author is None:
            raise Http404
        return author

    def create(self, request):
        serializer = AuthorWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        author = author_create(user=request.user, name=data.pop("name"), **data)
        return Response(self.get_serializer(author).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        author = self._get(pk)
        serializer = AuthorWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        author = author_update(user=request.user, author=author, data=serializer.validated_data)
        return Response(self.get_serializer(author).data)


@extend_schema_view(
    list=extend_schema(
        summary="List sections",
        responses={200: SectionSerializer(many=True), **errors(304, 400, 401, 404, 429)},
    ),
    retrieve=extend_schema(
        summary="Get a section",
        responses={200: SectionSerializer, **errors(304, 400, 401, 404, 429)},
    ),
    create=extend_schema(
        summary="Add a section",
        description="Editors only.",
        request=SectionWriteSerializer,
        examples=[
            OpenApiExample(
                "Science",
                value={"name": "Science", "slug": "science", "description": "Research news."},
                request_only=True,
            )
        ],
        responses={201: SectionSerializer, **errors(400, 401, 403, 429)},
    ),
    partial_update=extend_schema(
        summary="Change a section",
        description="Editors only. Changing the slug changes the section's public URL.",
        request=SectionWriteSerializer,
        responses={200: SectionSerializer, **errors(400, 401, 403, 404, 429)},
    ),
)
class SectionViewSet(_Base):
    permission_classes = [ReadOnlyOrEditor]
    serializer_class = SectionSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Section.objects.none()

    def list(self, request):
        page = self.paginate_queryset(Section.objects.order_by("position", "name"))
        self.public_keys = keys.section_list_keys()
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, slug=None):
        section = self._get(slug)
        self.public_keys = keys.section_keys(section.pk)
        return Response(self.get_serializer(section).data)

    def _get(self, slug) -> Section:
        section = Section.objects.filter(slug=slug).first()
        if section is None:
            raise Http404
        return section

    def create(self, request):
        serializer = SectionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        section = section_save(user=request.user, section=Section(), data=serializer.validated_data)
        return Response(self.get_serializer(section).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, slug=None):
        section = self._get(slug)
        serializer = SectionWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        section = section_save(user=request.user, section=section, data=serializer.validated_data)
        return Response(self.get_serializer(section).data)


@extend_schema_view(
    list=extend_schema(
        summary="List tags",
        description="Tags of published articles; staff see every tag.",
        responses={200: TagListSerializer(many=True), **errors(304, 400, 401, 404, 429)},
    )
)
class TagViewSet(_Base):
    serializer_class = TagListSerializer
    queryset = Tag.objects.none()
    http_method_names = ["get", "head", "options"]

    def list(self, request):
        qs = policy.tags_visible_to(self.request.user)
        page = self.paginate_queryset(qs.order_by("name", "pk"))
        self.public_keys = keys.tag_list_keys()
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
