"""Reads for readers: every list, page, feed, sitemap and search starts from
``Article.objects.published()``, and each selector owns its joins so a page's query count does
not grow with its content.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Concat, RowNumber, TruncMonth
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from authors.models import Author

from . import policy
from .models import Article, Byline, Correction, RelatedLink, Section

LATEST_LIMIT = 5
RELATED_LIMIT = 4
# Rows each automatic "Related Articles" query reads; room for the hand-picked ones it skips.
RELATED_FETCH = 2 * RELATED_LIMIT
SEARCH_MAX_LENGTH = 200
# ts_headline marks matches with these; website.highlight swaps them for <mark> after escaping.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"


# ---------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------
def article_list_published(
    *,
    section: Section | None = None,
    author: Author | None = None,
    tag: Tag | None = None,
    year: int | None = None,
    month: int | None = None,
    exclude_ids: tuple[int, ...] | list[int] = (),
) -> models.QuerySet:
    """Published articles, newest first, with what a list shows (section, bylines, tags)."""
    qs = Article.objects.published()
    if section is not None:
        qs = qs.in_section(section)
    if author is not None:
        qs = qs.filter(Exists(Byline.objects.filter(article=OuterRef("pk"), author=author)))
    if tag is not None:
        qs = qs.filter(Exists(Article.objects.filter(pk=OuterRef("pk"), tags=tag)))
    if year is not None and month is not None:
        start, end = month_bounds(year, month)
        qs = qs.filter(published_at__gte=start, published_at__lt=end)
    if exclude_ids:
        qs = qs.exclude(pk__in=exclude_ids)
    return qs.defer(*_LIST_DEFER).with_listing_relations().order_by("-published_at", "-pk")


def article_list_latest(*, limit: int = LATEST_LIMIT) -> list:
    """The newest published articles site-wide ("Latest Articles"), titles and sections only."""
    qs = Article.objects.published().select_related("section").order_by("-published_at", "-pk")
    return list(qs.only(*_LINK_FIELDS)[:limit])


# Large columns no list shows: the body is read only by the article page and search.
_LIST_DEFER = ("body", "search_vector")
# What a link to an article shows (title, section, date) and what its URL is built from.
_LINK_FIELDS = (
    "title",
    "slug",
    "status",
    "published_at",
    "first_published_at",
    "publish_at",
    "created_at",
    "section__name",
    "section__slug",
)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The start and end of a month in the newsroom's time zone, as aware datetimes."""
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return (
        datetime(start.year, start.month, 1, tzinfo=tz),
        datetime(end.year, end.month, 1, tzinfo=tz),
    )


def archive_months_list() -> list[tuple[int, list[tuple[int, int]]]]:
    """Every month with published articles and how many, newest first, by year (the
    newsroom's time zone): [(2026, [(5, 31), (4, 28)]), (2025, [...])]. One query."""
    rows = (
        Article.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    years: dict[int, list[tuple[int, int]]] = {}
    for row in rows:
        local = timezone.localtime(row["month"])
        years.setdefault(local.year, []).append((local.month, row["count"]))
    return list(years.items())


def archive_month_neighbours(
    *, year: int, month: int
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The nearest earlier and later months with published articles, as (year, month), or
    None: two reads of the (status, published_at) index."""
    start, end = month_bounds(year, month)
    published = Article.objects.published().order_by()
    earlier = (
        published.filter(published_at__lt=start)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    later = (
        published.filter(published_at__gte=end)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )

    def month_of(moment):
        if moment is None:
            return None
        local = timezone.localtime(moment)
        return (local.year, local.month)

    return month_of(earlier), month_of(later)


@dataclass
class HomePage:
    lead: Article | None
    top: list[Article]
    sections: list[tuple[Section, list[Article]]] = field(default_factory=list)


def home_page_get(*, top_count: int = 4, per_section: int = 4) -> HomePage:
    """The lead story, the next top stories and the newest few of each section in the nav."""
    top = list(article_list_published()[: top_count + 1])
    lead, rest = (top[0], top[1:]) if top else (None, [])
    shown = [a.pk for a in top]
    ranked = (
        Article.objects.published()
        .filter(section__in_navigation=True)
        .exclude(pk__in=shown)
        .annotate(
            rank=models.Window(
                RowNumber(),
                partition_by=[F("section_id")],
                order_by=[F("published_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=per_section)
        .defer(*_LIST_DEFER)
        .select_related("section")
        .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        .order_by("section__position", "section__name", "-published_at")
    )
    groups: dict[int, tuple[Section, list[Article]]] = {}
    for article in ranked:
        groups.setdefault(article.section_id, (article.section, []))[1].append(article)
    return HomePage(lead=lead, top=rest, sections=list(groups.values()))


# ---------------------------------------------------------------------------
# One article
# ---------------------------------------------------------------------------
def _related_links_queryset():
    # Hand-picked internal links count only while their target is published.
    return (
        RelatedLink.objects.filter(
            Q(target__isnull=True) | Q(target__in=Article.objects.published())
        )
        .select_related("target__section")
        .only("article", "url", "title", "position", *(f"target__{f}" for f in _LINK_FIELDS))
    )


def _article_page_row(qs: models.QuerySet) -> models.QuerySet:
    """The article's own row as its page reads it: every column but the search vector, and
    its section."""
    return qs.defer("search_vector").select_related("section")


def _article_page_base(qs: models.QuerySet) -> models.QuerySet:
    return _article_page_row(qs).prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("author")), "tags"
    )


# Where the page queryset puts the hand-picked links readers may follow (related_articles_for).
LIVE_LINKS = "live_related_links"


def _corrections() -> Prefetch:
    return Prefetch("corrections", queryset=Correction.objects.order_by("noted_at", "id"))


def _rare_parts() -> list[Prefetch]:
    """Prefetches for what few articles have."""
    return [
        _corrections(),
        Prefetch("related_links", queryset=_related_links_queryset(), to_attr=LIVE_LINKS),
    ]


def article_page_queryset(qs: models.QuerySet | None = None) -> models.QuerySet:
    """Everything the article page shows, in a fixed number of queries."""
    qs = Article.objects.all() if qs is None else qs
    return _article_page_base(qs).prefetch_related(*_rare_parts())


def article_get_for_reader(*, slug: str) -> Article | None:
    """The published article at ``slug``, or the one that used to live there (SlugRedirect),
    with everything its page shows, as article_page_queryset() loads it.

    The caller compares ``article.slug`` (and the date) with the URL to decide on a redirect.
    """
    published = article_page_queryset(Article.objects.published())
    return (
        published.filter(slug=slug).first()
        or published.filter(slug_redirects__old_slug=slug).first()
    )


def _related_candidates(article_id: int, **lookup) -> models.QuerySet:
    return (
        Article.objects.published()
        .filter(**lookup)
        .exclude(pk=article_id)
        .select_related("section")
        .only(*_LINK_FIELDS)
        .order_by("-published_at", "-pk")[:RELATED_FETCH]
    )


def _tagged_like(article_id: int, content_type_id: int) -> models.QuerySet:
    """Ids of the articles sharing a tag with ``article_id``. By content type id, not a join on
    its name: with the join the planner cannot estimate how many articles carry the tags and
    sorts all of them."""
    tags = TaggedItem.objects.filter(content_type_id=content_type_id, object_id=article_id)
    return TaggedItem.objects.filter(
        content_type_id=content_type_id, tag_id__in=tags.values("tag_id")
    ).values("object_id")


@dataclass
class RelatedItem:
    """One entry of "Related Articles": an article of ours or an external page."""

    title: str
    url: str
    article: Article | None = None
    section: Section | None = None
    published_at: datetime | None = None
    is_external: bool = False
    is_hand_picked: bool = False


def related_articles_for(article: Article, limit: int = RELATED_LIMIT) -> list[RelatedItem]:
    """Hand-picked links first (internal ones only if published), then filled from articles
    sharing a tag, then the same section, newest first; never the article itself, never an
    unpublished one. The one definition used by the page, the API and the newsletter.
    """
    if not 0 < limit <= RELATED_FETCH:
        raise ValueError(f"limit must be between 1 and {RELATED_FETCH}")
    items: list[RelatedItem] = []
    seen = {article.pk}
    links = getattr(article, LIVE_LINKS, None)
    if links is None:
        links = _related_links_queryset().filter(article=article)
    for link in links:
        if len(items) >= limit:
            return items
        if link.target_id is None:
            items.append(
                RelatedItem(title=link.title, url=link.url, is_external=True, is_hand_picked=True)
            )
        elif link.target_id not in seen:
            seen.add(link.target_id)
            target = link.target
            items.append(
                RelatedItem(
                    title=link.title or target.title,
                    url=target.get_absolute_url(),
                    article=target,
                    section=target.section,
                    published_at=target.published_at,
                    is_hand_picked=True,
                )
            )
    missing = limit - len(items)
    if missing <= 0:
        return items
    # Newest articles sharing a tag, then newest in the section: each walks the
    # (status, published_at) index newest first and stops after RELATED_FETCH rows, and the
    # second runs only when the first comes up short. Those already listed are left out here:
    # at most limit - missing of them are among the RELATED_FETCH rows, so enough remain.
    content_type_id = ContentType.objects.get_for_model(Article).pk
    candidates = [
        other
        for other in _related_candidates(
            article.pk, pk__in=_tagged_like(article.pk, content_type_id)
        )
        if other.pk not in seen
    ][:missing]
    if len(candidates) < missing:
        listed = seen | {c.pk for c in candidates}
        candidates += [
            other
            for other in _related_candidates(article.pk, section_id=article.section_id)
            if other.pk not in listed
        ][: missing - len(candidates)]
    for other in candidates:
        items.append(
            RelatedItem(
                title=other.title,
                url=other.get_absolute_url(),
                article=other,
                section=other.section,
                published_at=other.published_at,
            )
        )
    return items


# ---------------------------------------------------------------------------
# Authors, tags, sections
# ---------------------------------------------------------------------------
def author_get_for_reader(*, slug: str) -> Author | None:
    """An author page exists for active authors and for anyone with a published byline,
    so a draft's byline never reveals a name before publication."""
    has_published = Exists(
        Byline.objects.filter(author=OuterRef("pk"), article__in=Article.objects.published())
    )
    return Author.objects.filter(Q(is_active=True) | Q(has_published), slug=slug).first()


def author_list_for_reader() -> models.QuerySet:
    """Active authors and anyone with a published byline (articles.policy, as for anyone not
    signed in)."""
    return policy.authors_visible_to(None).order_by("name")


def tag_get_for_reader(*, slug: str) -> Tag | None:
    """A tag page exists only while a published article carries the tag: tags of embargoed
    drafts can name the story."""
    return tag_list_for_reader().filter(slug=slug).first()


def tag_list_for_reader() -> models.QuerySet:
    """Tags of published articles (articles.policy, as for anyone not signed in)."""
    return policy.tags_visible_to(None).order_by("name")


def section_get_for_reader(*, slug: str) -> Section | None:
    return Section.objects.filter(slug=slug).first()


# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------
def article_search(*, query: str) -> models.QuerySet:
    """Published articles matching ``query``: PostgreSQL full text (title > dek > body) ranked
    and with highlighted excerpts; on SQLite a plain match, newest first."""
    query = query.strip()[:SEARCH_MAX_LENGTH]
    base = Article.objects.published().select_related("section").defer("search_vector")
    if not query:
        return base.none()
    if settings.USING_POSTGRES:
        from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

        ts_query = SearchQuery(query, search_type="websearch", config="english")
        plain_text = Concat(
            "dek",
            Value(" "),
            models.Func(
                "body",
                Value("<[^>]*>"),
                Value(" "),
                Value("g"),
                function="regexp_replace",
                output_field=models.TextField(),
            ),
            output_field=models.TextField(),
        )
        return (
            base.filter(search_vector=ts_query)
            .annotate(
                rank=SearchRank(F("search_vector"), ts_query),
                title_headline=SearchHeadline(
                    "title",
                    ts_query,
                    config="english",
                    start_sel=HIGHLIGHT_START,
                    stop_sel=HIGHLIGHT_STOP,
                    highlight_all=True,
                ),
                excerpt_headline=SearchHeadline(
                    plain_text,
                    ts_query,
                    config="english",
                    start_sel=HIGHLIGHT_START,
                    stop_sel=HIGHLIGHT_STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )
    match = Q()
    for term in search_terms(query):
        match &= Q(title__icontains=term) | Q(dek__icontains=term) | Q(body__icontains=term)
    return base.filter(match).order_by("-published_at", "-pk")


def search_terms(query: str) -> list[str]:
    return [t for t in re.split(r"\s+", query.replace('"', " ")) if t and t not in {"or", "-"}][:10]


# ---------------------------------------------------------------------------
# Feeds and sitemaps
# ---------------------------------------------------------------------------
def article_list_for_feed(
    *,
    limit: int,
    full_text: bool,
    section: Section | None = None,
    author: Author | None = None,
    tag: Tag | None = None,
) -> list[Article]:
    """The newest published articles of a feed, as lists show them; with their text and
    corrections when the feed carries whole articles."""
    qs = article_list_published(section=section, author=author, tag=tag)
    if full_text:
        qs = qs.defer(None).defer("search_vector").prefetch_related(_corrections())
    return list(qs[:limit])


def article_list_for_news_sitemap(*, now: datetime | None = None) -> models.QuerySet:
    """Articles published in the last two days, as Google News requires (at most 1,000)."""
    now = now or timezone.now()
    return (
        Article.objects.published()
        .filter(published_at__gte=now - timedelta(days=2))
        .prefetch_related("tags")
        .order_by("-published_at")[:1000]
    )
