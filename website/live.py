"""Live coverage on the reader site: the live part of an article's page, the tiny polling
document readers' browsers ask every few seconds, the entries a reader does not have yet, the
entries' feeds and the LiveBlogPosting structured data.

Everything here is a public document carrying ``entries:<id>`` (purged by every entry posted,
edited or deleted: articles/purges.py) and ``article:<id>`` (purged when the article changes or
is withdrawn), so a new entry reaches every cache at once and touches nothing else.
"""

import json

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from django.views.decorators.http import require_safe

from articles.live_selectors import (
    PAGE_SIZE,
    entry_ids_newest,
    entry_list_after,
    live_article_get_for_reader,
    live_page_get,
)
from articles.models import live_entry_path
from articles.purges import article_key, entries_key
from authors.services import author_key
from core.links import absolute_url
from core.text import xml_text
from publication.selectors import site_settings_get

from .feeds import KeyedFeed, NewsAtomFeed
from .rendering import deliver

# How often the page's script asks "anything new?" (seconds); the document itself is held by
# shared caches until an entry purges it, and revalidated by browsers on every ask.
POLL_SECONDS = 10


def _digits(value: str | None) -> int | None:
    if value is None or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def entry_link(page, entry_id: int) -> str:
    """An entry's link from this page: its anchor when it is shown, else the page that starts
    at it (long coverage: the entry may be hundreds down)."""
    if entry_id in page.shown_ids:
        return f"#entry-{entry_id}"
    return f"?from={entry_id}#entry-{entry_id}"


def live_page_context(request, article) -> dict:
    """The live part of an article page (``article.is_live_coverage``): its entries from
    ``?from=<entry id>`` down, or the newest."""
    page = live_page_get(article, from_id=_digits(request.GET.get("from")))
    key_events = [
        {
            "entry": entry,
            "link": entry_link(page, entry.pk),
            "label": entry.title or " ".join(strip_tags(entry.body).split())[:120],
        }
        for entry in page.key_events
    ]
    return {
        "live": page,
        "live_key_events": key_events,
        "live_poll_url": f"/live/{int(article.pk)}/updates/",
        "live_entries_url": f"/live/{int(article.pk)}/entries/",
        "live_feed_url": f"/live/{int(article.pk)}/feed/",
        "live_poll_seconds": POLL_SECONDS,
    }


def live_page_keys(context: dict) -> list[str]:
    page = context["live"]
    return [entries_key(page.article.pk), *(author_key(a.pk) for a in page.authors())]


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def live_blog_json_ld(article, *, base: dict, page) -> dict:
    """schema.org LiveBlogPosting (as search engines document live coverage): the article's
    NewsArticle data, the coverage's start and end, and each entry on the page as a
    ``liveBlogUpdate``."""
    data = {**base, "@type": "LiveBlogPosting", "coverageStartTime": _iso(article.live_since)}
    if article.live_ended_at:
        data["coverageEndTime"] = _iso(article.live_ended_at)
    if page.entries and page.is_first_page:
        data["dateModified"] = _iso(max(entry.updated_at for entry in page.entries))
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": (entry.title or " ".join(strip_tags(entry.body).split()))[:110],
            "datePublished": _iso(entry.created_at),
            "dateModified": _iso(entry.updated_at),
            "url": absolute_url(live_entry_path(article, entry.pk)),
            "articleBody": " ".join(strip_tags(entry.body).split()),
            **(
                {"author": [{"@type": "Person", "name": a.name} for a in entry.authors.all()]}
                if entry.authors.all()
                else {}
            ),
        }
        for entry in page.entries
    ]
    return data


def _live_article(article_id: int):
    article = live_article_get_for_reader(article_id=article_id)
    if article is None:
        raise Http404("No such live coverage")
    return article


@require_safe
def updates(request, article_id: int):
    """ "Anything after entry N?": the ids of the newest entries and whether the coverage
    runs. One small document for every reader (the script compares the ids with its own),
    answered 304 by every cache while nothing changed."""
    article = _live_article(article_id)
    body = {"ids": entry_ids_newest(article), "is_live": article.is_live}
    response = HttpResponse(
        json.dumps(body, separators=(",", ":")), content_type="application/json"
    )
    response["X-Robots-Tag"] = "noindex"
    return deliver(
        request,
        response,
        keys=[entries_key(article.pk), article_key(article.pk)],
        browser_max_age=0,
    )


@require_safe
def entries_after(request, article_id: int):
    """The entries after ``?after=<entry id>`` as the page shows them, for the script to
    insert (at most a page: a reader further behind reloads)."""
    after = _digits(request.GET.get("after"))
    if after is None:
        raise Http404("Say after which entry: ?after=<entry id>")
    article = _live_article(article_id)
    entries = entry_list_after(article, after=after, limit=PAGE_SIZE + 1)
    html = render_to_string(
        "website/_live_entries.html",
        {"entries": entries[:PAGE_SIZE], "more": len(entries) > PAGE_SIZE, "article": article},
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    keys = [entries_key(article.pk), article_key(article.pk)]
    keys += [author_key(a.pk) for entry in entries for a in entry.authors.all()]
    return deliver(request, response, keys=keys)


class LiveEntriesFeed(KeyedFeed):
    """RSS 2.0 of a live coverage's newest entries (``/live/<id>/feed/``). One instance per
    request: it collects the keys of what it shows. Addresses on SITE_URL, one author element
    per author, as in the site's other feeds (website/feeds.py)."""

    def get_object(self, request, article_id: int):
        article = _live_article(article_id)
        self._keys.add(entries_key(article.pk), article_key(article.pk))
        return article

    def title(self, article):
        return xml_text(f"Live: {article.title}")

    def link(self, article):
        return absolute_url(article.get_absolute_url())

    def feed_url(self):
        return absolute_url(self._path)

    def author_name(self):
        # Atom asks for a feed author when an entry has none.
        return xml_text(site_settings_get().site_name)

    def description(self, article):
        return xml_text(article.dek or article.title)

    def items(self, article):
        entries = live_page_get(article).entries
        for entry in entries:
            entry.article = article  # the link needs it: no query per entry
            self._keys.add(*(author_key(a.pk) for a in entry.authors.all()))
        return entries

    def item_title(self, entry):
        return xml_text(entry.title or " ".join(strip_tags(entry.body).split())[:110])

    def item_description(self, entry):
        return xml_text(entry.body)

    def item_link(self, entry):
        return absolute_url(live_entry_path(entry.article, entry.pk))

    def item_guid(self, entry):
        return absolute_url(self.item_link(entry))

    def item_pubdate(self, entry):
        return entry.created_at

    def item_updateddate(self, entry):
        return entry.updated_at

    def item_extra_kwargs(self, entry):
        return {
            "authors": [
                (xml_text(a.name), absolute_url(a.get_absolute_url())) for a in entry.authors.all()
            ]
        }


class LiveEntriesAtomFeed(LiveEntriesFeed):
    feed_type = NewsAtomFeed

    def subtitle(self, article):
        return self.description(article)
