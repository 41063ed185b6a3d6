"""sitemap.xml (an index over articles, sections, authors, tags) and the Google News sitemap.
Only what readers may see: every list starts from the published articles.

Public documents with the key ``sitemaps`` (purged when an article goes live, is withdrawn or
moves). Dates of change and the names in them may lag: shared caches keep the sitemaps for
SITEMAP_SHARED_MAX_AGE, and the news sitemap carries its articles' keys when they fit."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, Q
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.models import Article, Section
from articles.selectors import (
    article_list_for_news_sitemap,
    author_list_for_reader,
    tag_list_for_reader,
)
from core.links import absolute_url
from core.text import xml_text
from publication.selectors import site_settings_get

from .keys import Keys, article_key, tag_key
from .rendering import deliver

SITEMAP_SHARED_MAX_AGE = 3600


class _SiteSitemap(Sitemap):
    """URLs on SITE_URL (not on whatever Host a request carried)."""

    limit = 5000

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class HomeSitemap(_SiteSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["home"]

    def location(self, item):
        return "/"

    def lastmod(self, item):
        return Article.objects.published().aggregate(last=Max("published_at"))["last"]


class ArticleSitemap(_SiteSitemap):
    def items(self):
        return (
            Article.objects.published()
            .only(
                "id",
                "slug",
                "published_at",
                "first_published_at",
                "updated_at",
                "publish_at",
                "created_at",
            )
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at or item.published_at


class SectionSitemap(_SiteSitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.annotate(
            last=Max("articles__published_at", filter=_published_filter("articles__"))
        ).order_by("position", "name")

    def lastmod(self, item):
        return item.last


class AuthorSitemap(_SiteSitemap):
    def items(self):
        return author_list_for_reader().annotate(
            last=Max(
                "bylines__article__published_at", filter=_published_filter("bylines__article__")
            )
        )

    def lastmod(self, item):
        return item.last


class TagSitemap(_SiteSitemap):
    def items(self):
        return tag_list_for_reader()

    def location(self, item):
        return f"/tag/{item.slug}/"


def _published_filter(prefix: str):
    """The published() rule, seen from a related model through ``prefix``."""
    return Q(**{f"{prefix}in": Article.objects.published()})


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
}


@require_safe
def sitemap_index(request, **kwargs):
    response = sitemap_views.index(request, **kwargs)
    # Django puts the request's host in front of each sitemap's address: SITE_URL instead.
    for item in response.context_data["sitemaps"]:
        parts = urlsplit(item.location)
        item.location = absolute_url(urlunsplit(("", "", parts.path, parts.query, "")))
    response.render()
    return deliver(request, response, keys=["sitemaps"], shared_max_age=SITEMAP_SHARED_MAX_AGE)


@require_safe
def sitemap_section(request, **kwargs):
    response = sitemap_views.sitemap(request, **kwargs)
    response.render()
    return deliver(request, response, keys=["sitemaps"], shared_max_age=SITEMAP_SHARED_MAX_AGE)


@require_safe
def news_sitemap(request):
    """Google News sitemap: articles of the last two days, with news: tags."""
    site = site_settings_get()
    listed = list(article_list_for_news_sitemap())
    articles = [
        {
            "loc": absolute_url(article.get_absolute_url()),
            # Text as XML can carry it (core.text): one stray control character must not
            # make the whole sitemap unreadable.
            "title": xml_text(article.title),
            "published": timezone.localtime(article.published_at).isoformat(),
            "keywords": xml_text(", ".join(t.name for t in article.tags.all())),
        }
        for article in listed
    ]
    xml = render_to_string(
        "website/news_sitemap.xml",
        {
            "articles": articles,
            "publication_name": xml_text(site.site_name),
            "language": _language(),
        },
    )
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    keys = Keys("sitemaps", "site")
    for article in listed:
        keys.add(article_key(article.pk)).add(*(tag_key(t.pk) for t in article.tags.all()))
    if keys.fits():
        return deliver(request, response, keys=keys)
    return deliver(
        request, response, keys=["sitemaps", "site"], shared_max_age=SITEMAP_SHARED_MAX_AGE
    )


def _language() -> str:
    return settings.LANGUAGE_CODE.split("-")[0]
