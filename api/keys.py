"""The cache keys of what each anonymous API read shows (api/conditional.py, edgecache).

They are the keys the changes purge (articles/purges.py, authors/services.py,
comments/purges.py), so an edit to one article drops its detail and the lists showing it, and no
other document. Each document carries two kinds: the lists it is a page of, purged when an
article joins or leaves them (a publication, a withdrawal, a move), and everything each of its
items shows, purged when that item changes. docs/api.md has the table per endpoint.
"""

from articles import purges
from authors.services import AUTHORS_LIST_KEY, author_key
from comments.purges import comments_key

# The public newsletters, which the schema lists as an enum (newsletter/signals.py).
NEWSLETTER_LISTS_KEY = "newsletter-lists"


def article_list_keys(articles, *, filters: dict) -> list[str]:
    """A page of /articles/ with the filters' cleaned values (api/filters.py)."""
    keys = []
    for name, list_key in (
        ("section", purges.section_list_key),
        ("author", purges.author_list_key),
        ("tag", purges.tag_list_key),
    ):
        if filters.get(name) is not None:
            keys.append(list_key(filters[name].pk))
    if not keys:
        # Every publication and withdrawal can change it (dates, search and is_breaking
        # narrow it down, but only a section, author or tag list is purged more selectively).
        keys.append(purges.API_LISTS_KEY)
    if filters.get("is_breaking") is not None:
        keys.append(purges.BREAKING_LIST_KEY)
    keys.append(purges.TAG_NAMES_KEY)
    for article in articles:
        keys += _summary_keys(article)
    return keys


def _summary_keys(article) -> list[str]:
    """What one article in a list shows: its own fields, its comment count, its section and its
    bylines' authors (tag names are covered by the list's TAG_NAMES_KEY)."""
    keys = [purges.article_key(article.pk), comments_key(article.pk)]
    if article.section_id is not None:
        keys.append(purges.section_key(article.section_id))
    keys += [author_key(byline.author_id) for byline in article.bylines.all()]
    return keys


def article_keys(article, *, related_ids) -> list[str]:
    """/articles/<id>/: what a list shows of it, its tags, and the related articles it names by
    their headlines (title, date, address: purged when those change, or the article is
    withdrawn; not by an edit to their text)."""
    keys = _summary_keys(article)
    keys += [purges.tag_key(tag.pk) for tag in article.tags.all()]
    keys += [purges.headline_key(pk) for pk in related_ids]
    return keys


def comment_list_keys(article_id: int) -> list[str]:
    """/articles/<id>/comments/: the approved thread, and the article, whose withdrawal makes
    the thread a 404."""
    return [comments_key(article_id), purges.article_key(article_id)]


def author_list_keys() -> list[str]:
    """/authors/: any author's change, and publications and withdrawals (an inactive author is
    listed while they have a published byline)."""
    return [AUTHORS_LIST_KEY, purges.API_LISTS_KEY]


def author_keys(author_id: int) -> list[str]:
    """/authors/<id>/: the author, and their list (an inactive author is shown only while a
    published article carries their byline)."""
    return [author_key(author_id), purges.author_list_key(author_id)]


def section_list_keys() -> list[str]:
    return [purges.SECTIONS_LIST_KEY]


def section_keys(section_id: int) -> list[str]:
    return [purges.section_key(section_id)]


def tag_list_keys() -> list[str]:
    """/tags/: the tags of published articles, by name."""
    return [purges.API_LISTS_KEY, purges.TAGS_LIST_KEY, purges.TAG_NAMES_KEY]
