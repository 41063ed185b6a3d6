"""What each change to editorial content makes the caches drop: the keys of the pages that show
it (docs/performance.md, "Keys"), recorded by edgecache.purge inside the change's transaction so
the outbox carries them to every cache after commit.

The services call these; nothing else decides what a change purges. A page says what it shows
with the same keys (``article:<id>`` on every page or feed listing that article,
``headline:<id>`` on the blocks that show no more than its headline, ``home``,
``list:section:<id>``...), so an edit to one story drops that story's page and the lists that
show what changed, and no other article page.
"""

from dataclasses import dataclass

from django.utils import timezone

from authors.services import AUTHORS_LIST_KEY
from edgecache import purge

# The API's lists that span the whole site: articles without a section, author or tag filter,
# the tags and the authors readers see.
API_LISTS_KEY = "api"
# The archive's index: every month with articles, and how many.
ARCHIVE_INDEX_KEY = "list:archive"
# Which months have articles: the previous and next links of the archive's month pages, which
# change only when a month gains its first article or loses its last.
ARCHIVE_MONTHS_KEY = "archive-months"
# Lists every published article is in, besides those of its section, authors, tags and month
# ("notfound": a URL that answered 404 before the article existed).
SITE_LISTS = (
    "home",
    "feeds",
    "sitemaps",
    "search",
    "latest",
    "notfound",
    ARCHIVE_INDEX_KEY,
    API_LISTS_KEY,
)
# The "Latest Articles" copies of the articles that are not among the newest (they include the
# site-wide list as it is): dropped when an older article may have become one of the newest,
# which a publish never does (only the article published joins them) and a withdrawal may.
LATEST_RANKS_KEY = "latest-ranks"
# Articles marked as breaking news (or not): the API's ?is_breaking= lists.
BREAKING_LIST_KEY = "list:breaking"
# Every section, in order: a new section, a renamed or moved one, a deleted one.
SECTIONS_LIST_KEY = "list:sections"
# The tags readers see: those of published articles.
TAGS_LIST_KEY = "list:tags"
# Any tag's name or slug, for lists showing the tags of many articles (one key, not one a tag:
# tags are renamed rarely, and a list of 100 articles can show hundreds of them).
TAG_NAMES_KEY = "tags"


def article_key(article_id: int) -> str:
    return f"article:{article_id}"


def headline_key(article_id: int) -> str:
    """The key of the blocks that show an article by its headline only (title, section, date,
    address): "Latest Articles" and "Related Articles". Edits to the rest of the story (its
    dek, text, images) leave them alone, so a live story updated every few seconds does not
    purge every page that lists it there."""
    return f"headline:{article_id}"


def entries_key(article_id: int) -> str:
    """The key of what shows an article's live entries: its page, the polling document, the
    entries' feed and the API's entries. A new entry purges only these, never the lists that
    show the article (they carry ``article:<id>``), so a busy live blog leaves the rest of the
    site in the caches."""
    return f"entries:{article_id}"


def live_paths(article) -> list[str]:
    """The article's page and everything under /live/<id>/ (polling, entries, feeds), for
    caches that purge by path only."""
    return [article.get_absolute_url(), f"/live/{int(article.pk)}/*"]


def section_key(section_id: int) -> str:
    return f"section:{section_id}"


def tag_key(tag_id: int) -> str:
    return f"tag:{tag_id}"


def section_list_key(section_id: int) -> str:
    return f"list:section:{section_id}"


def author_list_key(author_id: int) -> str:
    return f"list:author:{author_id}"


def tag_list_key(tag_id: int) -> str:
    return f"list:tag:{tag_id}"


def archive_list_key(moment) -> str:
    local = timezone.localtime(moment)
    return f"list:archive:{local.year:04d}-{local.month:02d}"


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a published article is listed, and the paths of those lists (for caches that
    purge by path only): read before a change, compared with the same after it."""

    path: str
    headline: tuple
    section: tuple[int, str] | None
    authors: frozenset[tuple[int, str]]
    tags: frozenset[tuple[int, str]]
    month: str | None
    breaking: bool = False

    def list_keys(self) -> list[str]:
        keys = []
        if self.section is not None:
            keys.append(section_list_key(self.section[0]))
        keys += [author_list_key(pk) for pk, _ in sorted(self.authors)]
        keys += [tag_list_key(pk) for pk, _ in sorted(self.tags)]
        if self.month is not None:
            keys.append(self.month)
        if self.breaking:
            keys.append(BREAKING_LIST_KEY)
        return keys

    def list_paths(self) -> list[str]:
        # A trailing * reaches the list's other pages and its feed.
        paths = []
        if self.section is not None:
            paths.append(f"/section/{self.section[1]}/*")
        paths += [f"/author/{slug}/*" for _, slug in sorted(self.authors)]
        paths += [f"/tag/{slug}/*" for _, slug in sorted(self.tags)]
        if self.month is not None:
            year, month = self.month.rsplit(":", 1)[1].split("-")
            paths.append(f"/archive/{year}/{month}/*")
        return paths


def placement(article) -> Placement:
    """Where ``article`` is listed now (two queries: bylines and tags)."""
    from .models import Byline

    authors = Byline.objects.filter(article_id=article.pk).values_list("author_id", "author__slug")
    return Placement(
        path=article.get_absolute_url(),
        headline=(article.title, article.published_at),
        section=(article.section_id, article.section.slug) if article.section_id else None,
        authors=frozenset(authors),
        tags=frozenset(article.tags.values_list("pk", "slug")),
        month=archive_list_key(article.published_at) if article.published_at else None,
        breaking=article.is_breaking,
    )


def _site_paths() -> list[str]:
    return ["/", "/feed/*", "/sitemap*", "/news-sitemap.xml", "/search/*", "/archive/"]


def _archive_months(article) -> tuple[list[str], list[str]]:
    """The keys and paths of the archive's month pages when the article's month gains its
    first article or loses its last (their previous and next links change); else none."""
    from .models import Article
    from .selectors import month_bounds

    if article.published_at is None:
        return [], []
    local = timezone.localtime(article.published_at)
    start, end = month_bounds(local.year, local.month)
    others = Article.objects.published().filter(published_at__gte=start, published_at__lt=end)
    if others.exclude(pk=article.pk).exists():
        return [], []
    return [ARCHIVE_MONTHS_KEY], ["/archive/*"]


def article_went_live(article) -> None:
    """Published (by an editor or the scheduler): its page, and every list it now joins
    appears with it at once."""
    where = placement(article)
    months, month_paths = _archive_months(article)
    purge(
        [
            article_key(article.pk),
            headline_key(article.pk),
            *SITE_LISTS,
            *where.list_keys(),
            *months,
        ],
        paths=[where.path, *_site_paths(), *where.list_paths(), *month_paths],
    )


def article_withdrawn(article) -> None:
    """Unpublished, returned to draft or expired: gone from its page and every list, and
    never served again from a cache, not even stale."""
    where = placement(article)
    months, month_paths = _archive_months(article)
    purge(
        [
            article_key(article.pk),
            headline_key(article.pk),
            *SITE_LISTS,
            LATEST_RANKS_KEY,
            *where.list_keys(),
            *months,
        ],
        paths=[where.path, *_site_paths(), *where.list_paths(), *month_paths],
        hard=True,
    )


def article_edited(article, *, before: Placement) -> None:
    """A published article changed: its page and the lists showing it (their pages carry its
    key), the blocks showing only its headline when that changed. Lists it joined or left
    (section, bylines, tags, month) change too."""
    after = placement(article)
    keys, paths = [article_key(article.pk)], [before.path, after.path]
    moved = after.path != before.path or after.section != before.section
    if moved or after.headline != before.headline:
        keys.append(headline_key(article.pk))
    if after.path != before.path:
        keys += ["sitemaps", "notfound"]  # its new address may have answered 404 before
    if after != before:
        old, new = before.list_keys(), after.list_keys()
        joined = [key for key in new if key not in old]
        keys += [key for key in old if key not in new] + joined
        if set(joined) - {BREAKING_LIST_KEY} and "notfound" not in keys:
            keys.append("notfound")  # a tag or author page it creates may have been a 404
        # A byline or tag no other live article had joins (or leaves) what readers may list.
        if after.authors != before.authors:
            keys.append(AUTHORS_LIST_KEY)
        if after.tags != before.tags:
            keys.append(TAGS_LIST_KEY)
        old_paths, new_paths = before.list_paths(), after.list_paths()
        paths += [p for p in old_paths if p not in new_paths]
        paths += [p for p in new_paths if p not in old_paths]
    purge(keys, paths=paths)


def article_shown_changed(article) -> None:
    """Something the article's page shows changed outside its text (a correction, new image
    renditions): its page and the lists that show it."""
    purge([article_key(article.pk)], paths=[article.get_absolute_url()])


def article_corrected(article) -> None:
    """A correction or update note moved a live article's "Updated" time: its page, every list
    and feed that shows it (they carry its key, the API's included), and the sitemaps' dates of
    change."""
    where = placement(article)
    purge(
        [article_key(article.pk), "sitemaps"],
        paths=[where.path, "/feed/*", "/sitemap*", *where.list_paths()],
    )


def live_entries_changed(article) -> None:
    """An entry posted, edited or deleted: the live page and the polling document only."""
    purge([entries_key(article.pk)], paths=live_paths(article))


def live_coverage_changed(article) -> None:
    """Coverage opened or ended, or its summary changed: the live page and its documents, and
    what shows the article (the API says whether it is live)."""
    purge([article_key(article.pk), entries_key(article.pk)], paths=live_paths(article))


def section_changed(section, *, created: bool = False) -> None:
    """A section's name, slug or place in the navigation: every page naming it. A new section
    is on no page yet but its own (which may have answered 404), the list of sections and
    perhaps the navigation."""
    if created:
        purge([*(["nav"] if section.in_navigation else []), "notfound", SECTIONS_LIST_KEY])
        return
    purge([section_key(section.pk), SECTIONS_LIST_KEY, "nav"], paths=["/*"])


def tag_changed(tag) -> None:
    """A tag's name or slug: the article pages listing it, its own page and the lists that
    show tags' names."""
    purge([tag_key(tag.pk), TAG_NAMES_KEY], paths=["/*"])
