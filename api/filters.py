"""Article list filters. A value that does not parse, or names a section, tag or author that
does not exist for the caller, is a 400 with a message: never an ignored filter.

Readers filter published articles only; the tags and authors anyone may name are those
articles.policy lets them see, so a filter cannot reveal a tag or byline that exists only on an
embargoed draft they may not see. Staff may add ``status`` to list the drafts, articles in review
and so on that the policy lets them see.
"""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from articles import policy
from articles.models import Article, Byline, Section
from articles.selectors import (
    SEARCH_MAX_LENGTH,
    article_list_published,
    article_search,
)

# Values a strict boolean accepts (anything else is an error, not "no filter").
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


class StrictBooleanField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise forms.ValidationError("Enter true or false.", code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """A model chosen by its slug: an unknown slug is a 400 naming it."""

    def __init__(self, *args, noun: str, **kwargs):
        kwargs.setdefault(
            "error_messages", {"invalid_choice": f'No {noun} has the slug "%(value)s".'}
        )
        super().__init__(*args, **kwargs)


def _tags_for(request):
    return policy.tags_visible_to(request.user)


def _authors_for(request):
    return policy.authors_visible_to(request.user)


class ArticleFilter(django_filters.FilterSet):
    section = SlugChoiceFilter(
        queryset=Section.objects.all(),
        noun="section",
        to_field_name="slug",
        method="filter_section",
        help_text="A section's slug.",
    )
    tag = SlugChoiceFilter(
        queryset=_tags_for,
        noun="tag",
        to_field_name="slug",
        method="filter_tag",
        help_text="A tag's slug.",
    )
    author = SlugChoiceFilter(
        queryset=_authors_for,
        noun="author",
        to_field_name="slug",
        method="filter_author",
        help_text="An author's slug.",
    )
    published_after = django_filters.IsoDateTimeFilter(
        field_name="published_at",
        lookup_expr="gte",
        help_text="ISO 8601 date or time: published at or after it.",
    )
    published_before = django_filters.IsoDateTimeFilter(
        field_name="published_at",
        lookup_expr="lt",
        help_text="ISO 8601 date or time: published before it.",
    )
    is_breaking = StrictBooleanFilter(help_text="true or false.")
    q = django_filters.CharFilter(
        method="filter_noop",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Full-text search in title, standfirst and body; results best match first.",
    )
    status = django_filters.ChoiceFilter(
        choices=Article.Status.choices,
        method="filter_noop",
        help_text="Staff only: articles in this workflow state (default: published).",
    )

    class Meta:
        model = Article
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = getattr(request, "user", None)
        self.staff = policy.is_newsroom_staff(self.user)

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if self.data.get("status") and not self.staff:
            self.form.add_error("status", "Only newsroom staff can filter by status.")
            return False
        return valid

    def filter_queryset(self, queryset):
        """Choose the base set (published, a staff status, a search), then narrow it down."""
        data = self.form.cleaned_data
        status, query = data.get("status"), (data.get("q") or "").strip()
        if status and status != Article.Status.PUBLISHED:
            base = _staff_list(self.user, status)
            if query:
                base = _staff_search(base, query)
        elif query:
            base = article_search(query=query).with_listing_relations().defer("body")
        else:
            base = queryset if queryset is not None else article_list_published()
        return super().filter_queryset(base)

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_section(self, queryset, name, value):
        return queryset.filter(section=value)

    def filter_tag(self, queryset, name, value):
        return queryset.filter(Exists(Article.objects.filter(pk=OuterRef("pk"), tags=value)))

    def filter_author(self, queryset, name, value):
        return queryset.filter(Exists(Byline.objects.filter(article=OuterRef("pk"), author=value)))


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that leaves the values it filtered by on the view
    (``view.filter_values``), which name the lists a response is a page of (api/keys.py)."""

    def filter_queryset(self, request, queryset, view):
        view.filter_values = {}
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        view.filter_values = filterset.form.cleaned_data
        return filterset.qs


def _staff_list(user, status: str):
    """Articles in a workflow state that the staff member may see (articles.policy): scheduled
    ones by publish time, the rest most recently changed first."""
    qs = policy.visible_to(user).filter(status=status).defer("body", "search_vector")
    qs = qs.with_listing_relations()
    if status == Article.Status.SCHEDULED:
        return qs.order_by("publish_at", "pk")
    return qs.order_by("-modified_at", "-pk")


def _staff_search(queryset, query: str):
    """Full-text search among unpublished articles (staff); a plain match on SQLite."""
    if settings.USING_POSTGRES:
        from django.contrib.postgres.search import SearchQuery, SearchRank

        ts_query = SearchQuery(query, search_type="websearch", config="english")
        return (
            queryset.filter(search_vector=ts_query)
            .annotate(rank=SearchRank(F("search_vector"), ts_query))
            .order_by("-rank", "-modified_at", "-pk")
        )
    match = Q()
    for term in query.split()[:10]:
        match &= Q(title__icontains=term) | Q(dek__icontains=term) | Q(body__icontains=term)
    return queryset.filter(match)
