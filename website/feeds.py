"""RSS 2.0 and Atom feeds for the site, each section, each author and each tag: published only.
Public documents with the keys of what they show (``feeds``, the list, each entry's article,
authors, section and tags, the site's name).

Every address in them is on SITE_URL, as on the pages, whatever Host the request carried. Each
entry names every author of its bylines, carries the hero image (an enclosure and a Media RSS
``media:content``) and, with FEEDS_FULL_TEXT (on by default), the whole article: RSS
``content:encoded``, Atom ``content``.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import format_html, format_html_join

from articles.purges import author_list_key, section_list_key, tag_list_key
from articles.renditions import hero_feed_image
from articles.richtext import syndication_html
from articles.selectors import (
    article_list_for_feed,
    author_get_for_reader,
    section_get_for_reader,
    tag_get_for_reader,
)
from core.links import absolute_url
from core.text import xml_text
from publication.selectors import site_settings_get

from .keys import Keys
from .rendering import deliver

FEED_SIZE = 30
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"


def _xml_safe(values: dict) -> dict:
    """Every text of a feed or an entry as XML can carry it: a stray control character in one
    article (stored before the services cleaned text, say) must not take the feed down."""

    def clean(value):
        if isinstance(value, str):
            return xml_text(value)
        if isinstance(value, list | tuple):
            return type(value)(clean(v) for v in value)
        if isinstance(value, dict):
            return {key: clean(v) for key, v in value.items()}
        return value

    return {key: clean(value) for key, value in values.items()}


# ---------------------------------------------------------------------------
# What each entry adds to Django's feeds: every author, the picture, the whole text
# ---------------------------------------------------------------------------
def _media_content(handler, image: dict | None) -> None:
    if not image:
        return
    attributes = {"url": image["url"], "medium": "image", "type": image["type"]}
    for name in ("width", "height"):
        if image.get(name):
            attributes[name] = str(image[name])
    if image.get("bytes"):
        attributes["fileSize"] = str(image["bytes"])
    handler.startElement("media:content", attributes)
    if image.get("alt"):
        handler.addQuickElement("media:description", image["alt"], {"type": "plain"})
    if image.get("credit"):
        handler.addQuickElement("media:credit", image["credit"])
    handler.endElement("media:content")


class NewsRssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NS,
            "xmlns:dc": DC_NS,
            "xmlns:media": MEDIA_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item.get("authors", ()):
            handler.addQuickElement("dc:creator", name)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])
        _media_content(handler, item.get("image"))


class NewsAtomFeed(Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
        _media_content(handler, item.get("image"))


def _entry_html(article, *, url: str, image: dict | None) -> str:
    """The whole article for a feed reader: the hero image, the text and the corrections,
    sanitised, with every address absolute."""
    parts = []
    if image:
        caption = " ".join(filter(None, (article.hero_caption, article.hero_credit)))
        parts.append(
            format_html(
                '<figure><img src="{}" alt="{}"{}>{}</figure>',
                image["url"],
                article.hero_alt,
                format_html(' width="{}" height="{}"', image["width"], image["height"])
                if image["width"] and image["height"]
                else "",
                format_html("<figcaption>{}</figcaption>", caption) if caption else "",
            )
        )
    parts.append(syndication_html(article.body, base_url=url))
    corrections = list(article.corrections.all())
    if corrections:
        parts.append(
            format_html(
                "<h2>Corrections and updates</h2><ol>{}</ol>",
                format_html_join(
                    "",
                    "<li><strong>{}</strong>, {}: {}</li>",
                    (
                        (
                            note.get_kind_display(),
                            date_format(timezone.localtime(note.noted_at), "F j, Y"),
                            note.text,
                        )
                        for note in corrections
                    ),
                ),
            )
        )
    return "\n".join(parts)


class KeyedFeed(Feed):
    """A feed as a public document: one instance per request (``Feed.view()``), which collects
    the keys of what it shows, starting with ``base_keys``."""

    feed_type = NewsRssFeed
    base_keys: tuple[str, ...] = ("site",)

    @classmethod
    def view(cls):
        def view(request, *args, **kwargs):
            return cls()(request, *args, **kwargs)

        return view

    def __call__(self, request, *args, **kwargs):
        self._keys = Keys(*self.base_keys)
        self._path = request.path
        response = super().__call__(request, *args, **kwargs)
        return deliver(request, response, keys=self._keys)


class _ArticleFeed(KeyedFeed):
    base_keys = ("feeds", "site")

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

    # Addresses on SITE_URL (Django's Feed would put the request's host in front of paths).
    def feed_url(self):
        return absolute_url(self._path)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def items(self, obj=None):
        items = article_list_for_feed(
            limit=FEED_SIZE, full_text=settings.FEEDS_FULL_TEXT, **self.filters(obj)
        )
        self._keys.add(*self.list_keys(obj)).listed(items, tags=True)
        return items

    def filters(self, obj) -> dict:
        return {}

    def author_name(self):
        # Atom asks for a feed author when an entry has none (an article without a byline).
        return self._site_name()

    def author_link(self):
        return absolute_url("/")

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.dek

    def item_guid(self, item):
        # The id never changes, even when the slug does.
        return absolute_url(f"/articles/{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at or item.published_at

    def item_categories(self, item):
        return [item.section.name, *(t.name for t in item.tags.all())]

    def _image(self, item) -> dict | None:
        cached = item.__dict__.get("_feed_image", False)
        if cached is False:
            cached = hero_feed_image(item)
            if cached is not None:
                cached = {
                    **cached,
                    "url": absolute_url(cached["url"]),
                    "alt": item.hero_alt,
                    "credit": item.hero_credit,
                }
            item.__dict__["_feed_image"] = cached
        return cached

    def item_enclosures(self, item):
        image = self._image(item)
        if image is None:
            return []
        return [Enclosure(url=image["url"], length=str(image["bytes"]), mime_type=image["type"])]

    def item_extra_kwargs(self, item):
        url = self.item_link(item)
        image = self._image(item)
        extra = {
            "authors": [
                (b.author.name, absolute_url(b.author.get_absolute_url()))
                for b in item.bylines.all()
            ],
            "image": image,
        }
        if settings.FEEDS_FULL_TEXT:
            extra["content"] = _entry_html(item, url=url, image=image)
        return extra


class LatestArticlesFeed(_ArticleFeed):
    def title(self):
        return f"{self._site_name()}: latest articles"

    def link(self):
        return absolute_url("/")

    def description(self):
        return self._site().tagline or self.title()


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = NewsAtomFeed
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
        return Keys(section_list_key(obj.pk)).section(obj)

    def title(self, obj):
        return f"{self._site_name()}: {obj.name}"

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

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
        return Keys(author_list_key(obj.pk)).author(obj)

    def title(self, obj):
        return f"{self._site_name()}: {obj.name}"

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

    def description(self, obj):
        return obj.job_title or f"Articles by {obj.name}."


class TagFeed(_ArticleFeed):
    def get_object(self, request, slug):
        tag = tag_get_for_reader(slug=slug)
        if tag is None:
            raise Http404("No such tag")
        return tag

    def filters(self, obj):
        return {"tag": obj}

    def list_keys(self, obj) -> Keys:
        return Keys(tag_list_key(obj.pk)).tag(obj)

    def title(self, obj):
        return f"{self._site_name()}: {obj.name}"

    def link(self, obj):
        return absolute_url(reverse("website:tag", args=[obj.slug]))

    def description(self, obj):
        return f"Articles tagged {obj.name}."
