"""What the scale benchmark requests: every surface of the site, the admin and the API, as URLs
chosen from the generated archive (the biggest section, the busiest author, the most and a
rarely used tag, a month in the middle of the archive, articles from all over it).

The benchmark drives the server by URL only. When a page moves, change its URL here.
"""

import math
import random
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from archive_text import search_queries

SITE_PAGE_SIZE = 20
API_PAGE_SIZE = 20
SITEMAP_LIMIT = 5_000
SECTION_DEEP_PAGE = 2_000
API_DEEP_PAGE = 5_000
RARE_TAG_RANK = 2_000  # of 5,000 tags by use
SAMPLE = 1_500  # distinct articles for the surfaces that read a different one each time


@dataclass
class Surface:
    group: str  # site, search, feeds, admin, api
    name: str
    paths: list[str]  # requested in turn; more than one: a different page every request
    auth: str = ""  # "", "session" (admin) or "token" (API)
    note: str = ""
    warm: list[str] = field(default_factory=list)  # requested before measuring, not counted


def _article_path(slug: str, moment) -> str:
    return f"/{moment:%Y/%m/%d}/{slug}/"


def _last_page(count: int, size: int) -> int:
    return max(1, math.ceil(count / size))


def _one(cursor, sql: str, params=()):
    cursor.execute(sql, params)
    return cursor.fetchone()


def build(cursor, size: int) -> list[Surface]:
    """The surfaces for the archive ``cursor`` reads (a published archive of ``size``)."""
    rng = random.Random(size)
    cursor.execute(
        "SELECT id, slug, first_published_at FROM articles_article"
        " WHERE status = 'published' AND id = ANY(%s)",
        [rng.sample(range(1, size + 1), min(size, 2 * SAMPLE))],
    )
    rows = cursor.fetchall()
    rng.shuffle(rows)
    half = len(rows) // 2
    site_rows, api_rows, admin_rows = rows[:half], rows[half:-100], rows[-100:]
    published = _one(cursor, "SELECT count(*) FROM articles_article WHERE status = 'published'")[0]
    section_id, section, in_section = _one(
        cursor,
        "SELECT s.id, s.slug, count(*) FROM articles_article a"
        " JOIN articles_section s ON s.id = a.section_id WHERE a.status = 'published'"
        " GROUP BY s.id, s.slug ORDER BY count(*) DESC LIMIT 1",
    )
    author_id, author, by_author = _one(
        cursor,
        "SELECT au.id, au.slug, count(*) FROM articles_byline b"
        " JOIN articles_article a ON a.id = b.article_id AND a.status = 'published'"
        " JOIN authors_author au ON au.id = b.author_id"
        " GROUP BY au.id, au.slug ORDER BY count(*) DESC LIMIT 1",
    )
    cursor.execute(
        "SELECT t.slug, count(*) FROM taggit_taggeditem i JOIN taggit_tag t ON t.id = i.tag_id"
        " JOIN articles_article a ON a.id = i.object_id AND a.status = 'published'"
        " GROUP BY t.slug ORDER BY count(*) DESC, t.slug"
    )
    tags = cursor.fetchall()
    popular_tag, rare_tag = tags[0], tags[min(RARE_TAG_RANK, len(tags) - 1)]
    oldest, newest = _one(
        cursor,
        "SELECT min(published_at), max(published_at) FROM articles_article"
        " WHERE status = 'published'",
    )
    middle = oldest + (newest - oldest) / 2
    queries = search_queries()

    section_deep = min(SECTION_DEEP_PAGE, _last_page(in_section, SITE_PAGE_SIZE))
    author_last = _last_page(by_author, SITE_PAGE_SIZE)
    api_deep = min(API_DEEP_PAGE, _last_page(published, API_PAGE_SIZE))
    sitemap_last = _last_page(published, SITEMAP_LIMIT)
    sitemap_deep = f"sitemap articles p{sitemap_last} (last)" if sitemap_last > 1 else ""
    article_paths = [_article_path(slug, moment) for _, slug, moment in site_rows]
    api_paths = [f"/api/v1/articles/{pk}/" for pk, _, _ in api_rows]
    change_paths = [f"/admin/articles/article/{pk}/change/" for pk, _, _ in admin_rows]
    admin = "/admin/articles/article/"

    site = [
        Surface("site", "article", article_paths[20:], note="a different article each time",
                warm=article_paths[:20]),
        Surface("site", "home", ["/"]),
        Surface("site", "section p1", [f"/section/{section}/"], note=f"{in_section:,} articles"),
        Surface("site", f"section p{section_deep}", [f"/section/{section}/?page={section_deep}"]),
        Surface("site", "author p1", [f"/author/{author}/"], note=f"{by_author:,} articles"),
        Surface("site", f"author p{author_last} (last)", [f"/author/{author}/?page={author_last}"]),
        Surface("site", "tag popular", [f"/tag/{popular_tag[0]}/"],
                note=f"{popular_tag[1]:,} articles"),
        Surface("site", "tag rare", [f"/tag/{rare_tag[0]}/"], note=f"{rare_tag[1]:,} articles"),
        Surface("site", "archive month", [f"/archive/{middle:%Y/%m}/"]),
    ]  # fmt: skip
    search = [
        Surface("search", f"search {kind}", [f"/search/?q={quote_plus(query)}"], note=query)
        for kind, query in (
            ("common", queries["common"]),
            ("rare", queries["rare"]),
            ("phrase", queries["phrase"]),
            ("misspelling", queries["misspelling"]),
        )
    ]
    feeds = [
        Surface("feeds", "rss", ["/feed/"]),
        Surface("feeds", "atom", ["/feed/atom/"]),
        Surface("feeds", "section feed", [f"/section/{section}/feed/"]),
        Surface("feeds", "author feed", [f"/author/{author}/feed/"]),
        Surface("feeds", "sitemap index", ["/sitemap.xml"]),
        Surface("feeds", "sitemap articles p1", ["/sitemap-articles.xml"]),
        Surface("feeds", sitemap_deep or "sitemap articles (last)",
                [f"/sitemap-articles.xml?p={sitemap_last}"]),
        Surface("feeds", "news sitemap", ["/news-sitemap.xml"]),
    ]  # fmt: skip
    staff = [
        Surface("admin", "list", [admin], "session"),
        Surface("admin", "list status", [f"{admin}?status__exact=published"], "session"),
        Surface("admin", "list section", [f"{admin}?section__id__exact={section_id}"], "session"),
        Surface("admin", "list author", [f"{admin}?author={author_id}"], "session"),
        Surface("admin", "list search", [f"{admin}?q={quote_plus(queries['rare'])}"], "session",
                note=queries["rare"]),
        Surface("admin", "change form", change_paths[5:], "session", warm=change_paths[:5]),
        Surface("api", "list p1", ["/api/v1/articles/"], "token"),
        Surface("api", f"list p{api_deep}", [f"/api/v1/articles/?page={api_deep}"], "token"),
        Surface("api", "list section", [f"/api/v1/articles/?section={section}"], "token"),
        Surface("api", "list tag", [f"/api/v1/articles/?tag={popular_tag[0]}"], "token"),
        Surface("api", "list author", [f"/api/v1/articles/?author={author}"], "token"),
        Surface("api", "detail", api_paths[20:], "token", note="a different article each time",
                warm=api_paths[:20]),
    ]  # fmt: skip
    return site + search + feeds + staff
