"""Reads of live coverage: the page's entries in a fixed number of queries whatever the
coverage's length, the polling answer, and the entries after one a reader already has.

Entries are ordered by id, newest first: an id is given when an entry is posted, so "after
entry N" and "from entry N down" are one index range each (``entry_article_newest``).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from authors.models import Author

from .models import Article, Entry

PAGE_SIZE = 30
# The polling answer names this many of the newest entries: enough to count "N new updates"
# for a reader who looked away for a while; beyond it the page says so and reloads.
POLL_IDS = PAGE_SIZE


def _with_authors(qs):
    return qs.prefetch_related(
        Prefetch("authors", queryset=Author.objects.only("id", "name", "slug"))
    )


@dataclass
class LivePage:
    """What the live page shows: the pinned entry, the key events (as links), a page of
    entries newest first, and where the next older page starts."""

    article: Article
    entries: list = field(default_factory=list)
    key_events: list = field(default_factory=list)
    pinned: Entry | None = None
    older_from: int | None = None
    newest_id: int | None = None
    is_first_page: bool = True

    @property
    def shown_ids(self) -> set[int]:
        return {entry.pk for entry in self.entries}

    def authors(self) -> list:
        entries = [*self.entries, *([self.pinned] if self.pinned else [])]
        return [author for entry in entries for author in entry.authors.all()]


def live_page_get(article: Article, *, from_id: int | None = None, size: int = PAGE_SIZE):
    """The live page of ``article`` from entry ``from_id`` down (the newest when None): four
    queries (entries, their authors, key events, the pinned entry) and one more for the
    pinned entry's authors."""
    entries = Entry.objects.filter(article_id=article.pk).order_by("-id")
    if from_id is not None:
        entries = entries.filter(pk__lte=from_id)
    rows = list(_with_authors(entries)[: size + 1])
    page = LivePage(article=article, entries=rows[:size], is_first_page=from_id is None)
    if len(rows) > size:
        page.older_from = rows[size].pk
    page.key_events = list(
        Entry.objects.filter(article_id=article.pk, is_key_event=True)
        .order_by("-id")
        .only("id", "title", "body", "created_at", "article_id")
    )
    page.pinned = _with_authors(
        Entry.objects.filter(article_id=article.pk, is_pinned=True).order_by("-id")
    ).first()
    if page.is_first_page:
        page.newest_id = rows[0].pk if rows else 0
    return page


def entry_ids_newest(article: Article, *, limit: int = POLL_IDS) -> list[int]:
    """The ids of the newest entries: the polling answer (one query)."""
    return list(
        Entry.objects.filter(article_id=article.pk)
        .order_by("-id")
        .values_list("pk", flat=True)[:limit]
    )


def entry_list_after(article: Article, *, after: int, limit: int = PAGE_SIZE) -> list[Entry]:
    """Entries newer than ``after``, newest first, with their authors (two queries)."""
    entries = Entry.objects.filter(article_id=article.pk, pk__gt=after).order_by("-id")
    return list(_with_authors(entries)[:limit])


def live_article_get_for_reader(*, article_id: int) -> Article | None:
    """A published article with live coverage (running or ended), or None."""
    return (
        Article.objects.published()
        .filter(pk=article_id, live_since__isnull=False)
        .select_related("section")
        .first()
    )
