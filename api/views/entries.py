"""/api/v1/articles/<id>/entries/: the entries of live coverage. Anyone reads them once the
article is published (newest first, cursor pagination, ``?after=<entry id>`` for polling
clients); staff post, edit and delete them through the articles services, which ask
articles.policy (editors any entry, reporters their own) as the admin's composer does."""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import pagination, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from articles import policy
from articles.models import Article, Entry
from articles.policy import ArticlePolicy
from articles.purges import article_key, entries_key
from articles.services.live import EntryConflict, entry_delete, entry_post, entry_update
from authors.models import Author
from authors.services import author_key
from core.links import absolute_url

from ..conditional import ConditionalGetMixin, expected_version
from ..exceptions import ApiError
from ..permissions import StaffOnly
from ..schema import CONFLICT, errors
from ..serializers.entries import EntrySerializer, EntryWriteSerializer, entry_data
from .base import CallerMixin, StrictQueryParamsMixin, parse_id

AFTER = OpenApiParameter(
    "after",
    int,
    description="Only entries posted after this entry id (polling: send the newest id you have).",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description='The ETag you read (e.g. "v3-3f2a..."); a stale one answers 412. Or send the '
    "version field in the body.",
)


class EntryAlertSerializer(serializers.Serializer):
    edition = serializers.IntegerField(help_text="The newsletter edition sending it.")
    subject = serializers.CharField()
    status = serializers.CharField()


class EntryCursorPagination(pagination.CursorPagination):
    """Newest first by id; links on SITE_URL, never on the Host header a request carried."""

    ordering = "-id"
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        self.base_url = absolute_url(request.get_full_path())
        return page


class _EntriesBase(ConditionalGetMixin, StrictQueryParamsMixin, CallerMixin, GenericAPIView):
    serializer_class = EntrySerializer
    queryset = Entry.objects.none()  # for the schema; reads use _entries()

    def get_permissions(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return []
        return [StaffOnly()]

    def _article(self, pk) -> Article:
        """Readers: published live coverage. Staff: any article they may see."""
        visible = (
            policy.visible_to(self.request.user) if self.viewer else Article.objects.published()
        )
        article = visible.filter(pk=parse_id(pk), live_since__isnull=False).first()
        if article is None:
            raise Http404
        return article

    def _entries(self, article: Article):
        return (
            Entry.objects.filter(article_id=article.pk)
            .select_related("created_by", "updated_by")
            .prefetch_related(
                Prefetch("authors", queryset=Author.objects.only("id", "name", "slug"))
            )
        )

    def _data(self, entry: Entry, article: Article) -> dict:
        entry.article = article
        if not self.viewer:
            return entry_data(entry)
        rules = getattr(self, "_rules", None)
        if rules is None or rules.article is not article:  # one policy a request
            rules = self._rules = ArticlePolicy(self.request.user, article)
        return entry_data(entry, staff=True, rules=rules)

    def _keys(self, article: Article, entries) -> list[str]:
        keys = [entries_key(article.pk), article_key(article.pk)]
        return keys + [author_key(a.pk) for e in entries for a in e.authors.all()]


def _conflict(exc: EntryConflict, *, precondition: bool) -> ApiError:
    info = {
        "current_version": exc.current_version,
        "changed_by": (exc.changed_by.get_full_name() or exc.changed_by.get_username())
        if exc.changed_by
        else "Someone",
        "changed_at": serializers.DateTimeField().to_representation(exc.changed_at),
    }
    if precondition:
        return ApiError(exc.message, status_code=412, extra={"conflict": info})
    return ApiError(
        exc.message, status_code=409, errors={"version": [exc.message]}, extra={"conflict": info}
    )


class ArticleEntriesView(_EntriesBase):
    """GET/POST /api/v1/articles/<id>/entries/"""

    pagination_class = EntryCursorPagination
    paginated_actions = ("list",)

    def initial(self, request, *args, **kwargs):
        self.action = "list" if request.method in ("GET", "HEAD") else "create"
        super().initial(request, *args, **kwargs)

    def allowed_query_params(self) -> set[str]:
        allowed = {"after"} if self.action == "list" else set()
        if self.action == "list":
            allowed |= {"cursor", "page_size"}
        return allowed

    @extend_schema(
        summary="Entries of live coverage",
        description="Public once the article is published and has live coverage (running or "
        "ended: the article's is_live and live_since say which); staff also read those of "
        "articles they may see. Newest first, cursor pagination; with after, only entries "
        "posted after that one (a polling client sends the newest id it has).",
        parameters=[AFTER],
        responses={200: EntrySerializer(many=True), **errors(304, 400, 401, 404, 429)},
    )
    def get(self, request, pk):
        article = self._article(pk)
        entries = self._entries(article)
        after = request.query_params.get("after")
        if after is not None:
            if not after.isdigit() or len(after) > 18:
                raise ApiError(
                    "after is an entry id.", status_code=400, errors={"after": ["Enter an id."]}
                )
            entries = entries.filter(pk__gt=int(after))
        page = self.paginate_queryset(entries)
        self.public_keys = self._keys(article, page)
        if page:
            self.last_modified = max(entry.updated_at for entry in page)
        return self.get_paginated_response([self._data(e, article) for e in page])

    @extend_schema(
        summary="Post an entry",
        description="Staff who may post to this running coverage (articles.policy): it is "
        "public at once. The authors are the poster's own author profile unless given.",
        request=EntryWriteSerializer,
        examples=[
            OpenApiExample(
                "A key event",
                value={
                    "title": "Landfall",
                    "body": "<p>The storm reached the coast.</p>",
                    "is_key_event": True,
                },
                request_only=True,
            )
        ],
        responses={201: EntrySerializer, **errors(400, 401, 403, 404, 409, 429)},
    )
    def post(self, request, pk):
        article = self._article(pk)
        serializer = EntryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" in data:
            raise ApiError(
                "A new entry has no version yet.",
                status_code=400,
                errors={"version": ["Only send version when you edit an entry."]},
            )
        if not data.get("body"):
            raise ApiError(
                "Write the entry's text.", status_code=400, errors={"body": ["Required."]}
            )
        entry = entry_post(user=request.user, article=article, **data)
        entry = self._entries(article).get(pk=entry.pk)
        self.etag_version = entry.version
        location = absolute_url(f"/api/v1/articles/{article.pk}/entries/{entry.pk}/")
        return Response(
            self._data(entry, article),
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class EntryDetailView(_EntriesBase):
    """GET/PATCH/DELETE /api/v1/articles/<id>/entries/<entry id>/"""

    def initial(self, request, *args, **kwargs):
        self.action = "retrieve"
        super().initial(request, *args, **kwargs)

    def allowed_query_params(self) -> set[str]:
        return set()

    def _entry(self, article: Article, entry_id) -> Entry:
        entry = self._entries(article).filter(pk=parse_id(entry_id)).first()
        if entry is None:
            raise Http404
        return entry

    @extend_schema(
        summary="Get an entry",
        description="Public while its article is published. The ETag of a staff response "
        "carries the entry's version for If-Match.",
        responses={200: EntrySerializer, **errors(304, 400, 401, 404, 429)},
    )
    def get(self, request, pk, entry_id):
        article = self._article(pk)
        entry = self._entry(article, entry_id)
        self.public_keys = self._keys(article, [entry])
        self.etag_version = entry.version
        self.last_modified = entry.updated_at
        return Response(self._data(entry, article))

    @extend_schema(
        summary="Edit an entry",
        description="Editors any entry; reporters their own while the coverage runs. Send "
        "If-Match with the ETag you read, or the version field: a change based on an older "
        "version is refused (412 or 409) and names who changed it and when.",
        request=EntryWriteSerializer,
        parameters=[IF_MATCH],
        responses={
            200: EntrySerializer,
            **errors(400, 401, 403, 404, 428, 429),
            409: CONFLICT,
            412: CONFLICT,
        },
    )
    def patch(self, request, pk, entry_id):
        article = self._article(pk)
        entry = self._entry(article, entry_id)
        serializer = EntryWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if_match = request.headers.get("If-Match")
        expected = expected_version(if_match, data.pop("version", None))
        authors = data.pop("authors", None)
        if not data and authors is None:
            raise ApiError("Nothing to change: send at least one field.", status_code=400)
        try:
            entry_update(
                user=request.user,
                entry=entry,
                data=data,
                authors=authors,
                expected_version=expected,
            )
        except EntryConflict as exc:
            raise _conflict(exc, precondition=if_match is not None) from None
        entry = self._entry(article, entry.pk)
        self.etag_version = entry.version
        return Response(self._data(entry, article))

    @extend_schema(
        summary="Delete an entry",
        description="Editors any entry; reporters their own while the coverage runs. With "
        "If-Match, only the version you read is deleted (412 otherwise).",
        parameters=[IF_MATCH],
        request=None,
        responses={204: None, **errors(400, 401, 403, 404, 429), 412: CONFLICT},
    )
    def delete(self, request, pk, entry_id):
        article = self._article(pk)
        entry = self._entry(article, entry_id)
        if_match = request.headers.get("If-Match")
        expected = expected_version(if_match, None) if if_match is not None else None
        try:
            entry_delete(user=request.user, entry=entry, expected_version=expected)
        except EntryConflict as exc:
            raise _conflict(exc, precondition=True) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class EntryAlertView(_EntriesBase):
    """POST /api/v1/articles/<id>/entries/<entry id>/alert/"""

    def initial(self, request, *args, **kwargs):
        self.action = "alert"
        super().initial(request, *args, **kwargs)

    def allowed_query_params(self) -> set[str]:
        return set()

    @extend_schema(
        summary="Send a key event as a breaking-news alert",
        description="Editors who may send newsletter editions: an edition of the Breaking news "
        "list with the entry's text and the live article starts at once (the usual sending, "
        "rate limits and ledger). Once per entry: a second request answers 409.",
        request=None,
        responses={202: EntryAlertSerializer, **errors(400, 401, 403, 404, 409, 429)},
    )
    def post(self, request, pk, entry_id):
        from newsletter.services.live import edition_create_live_alert

        article = self._article(pk)
        entry = self._entries(article).filter(pk=parse_id(entry_id)).first()
        if entry is None:
            raise Http404
        entry.article = article
        edition = edition_create_live_alert(user=request.user, entry=entry)
        return Response(
            {"edition": edition.pk, "subject": edition.subject, "status": edition.status},
            status=status.HTTP_202_ACCEPTED,
        )
