"""RSS 2.0 and Atom feeds for the site, each section and each author: published only. Public
documents with the keys of what they show (``feeds``, the list, each entry's article, authors,
section and tags, the site's name)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed

from articles.selectors import (
    article_list_published,
    author_get_for_reader,
    section_get_for_reader,
)
from core.links import absolute_url
from core.text import xml_text
from publication.selectors import site_settings_get

from .keys import Keys
from .rendering import deliver

FEED_SIZE = 30


def _xml_safe(values: dict) -> dict:
    """Every text of a feed or an entry as XML can carry it: a stray control character in one
    article (stored before the services cleaned text, say) must not take the feed down."""

    def clean(value):
        if isinstance(value, str):
            return xml_text(value)
        if isinstance(value, list | tuple):
            return type(value)(clean(v) for v in value)
        return value

    return {key: clean(value) for key, value in values.items()}


class _ArticleFeed(Feed):
    """One instance per request (``Feed.view()``): it collects the keys of what it shows."""

    @classmethod
    def view(cls):
        def view(request, *args, **kwargs):
            return cls()(request, *args, **kwargs)

        return view

    def __call__(self, request, *args, **kwargs):
        self._keys = Keys("feeds", "site")
        response = super().__call__(request, *args, **kwargs)
        return deliver(request, response, keys=self._keys)

    def list_keys(self, obj) -> Keys:
        return Keys()

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed = _xml_safe(feed.feed)
        feed.items = [_xml_safe(item) for item in feed.items]
        return feed

    def _site(self):
        site = getattr(self, "_site_settings", None)
        if site is None:
            site = self._site_settings = site_settings_get()
        return site

    def _site_name(self) -> str:
        return self._site().site_name

    def items(self, obj=None):
        items = list(article_list_published(**self.filters(obj))[:FEED_SIZE])
        self._keys.add(*self.list_keys(obj)).listed(items, tags=True)
        return items

    def filters(self, obj) -> dict:
        return {}

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.dek

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        # The id never changes, even when the slug does.
        return absolute_url(f"/articles/{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at or item.published_at

    def item_author_name(self, item):
        return ", ".join(b.author.name for b in item.bylines.all()) or None

    def item_categories(self, item):
        return [item.section.name, *(t.name for t in item.tags.all())]


class LatestArticlesFeed(_ArticleFeed):
    def title(self):
        return f"{self._site_name()}: latest articles"

    def link(self):
        return "/"

    def description(self):
        return self._site().tagline or self.title()


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class SectionFeed(_ArticleFeed):
    def get_object(self, request, slug):
        section = section_get_for_reader(slug=slug)
        if section is None:
            raise Http404("No such section")
        return section

    def filters(self, obj):
        return {"section": obj}

    def list_keys(self, obj) -> Keys:
        return Keys(f"list:section:{obj.pk}").section(obj)

    def title(self, obj):
        return f"{self._site_name()}: {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.description or f"The latest from {obj.name}."


class AuthorFeed(_ArticleFeed):
    def get_object(self, request, slug):
        author = author_get_for_reader(slug=slug)
        if author is None:
            raise Http404("No such author")
        return author

    def filters(self, obj):
        return {"author": obj}

    def list_keys(self, obj) -> Keys:
        return Keys(f"list:author:{obj.pk}").author(obj)

    def title(self, obj):
        return f"{self._site_name()}: {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.job_title or f"Articles by {obj.name}."
