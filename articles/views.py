"""Reader pages. Thin: parse the URL, call a selector, render. The article and home pages go
through the page cache (articles/pagecache.py); the others are cheap lists rendered per request.
"""

import calendar

from django import forms
from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.links import absolute_url
from publication.models import AdSlot

from . import pagecache
from .models import Article
from .selectors import (
    SEARCH_MAX_LENGTH,
    SiteChrome,
    article_get_for_reader,
    article_list_published,
    article_search,
    author_get_for_reader,
    home_page_get,
    related_articles_for,
    search_results_highlight,
    section_get_for_reader,
    site_chrome_get,
    tag_get_for_reader,
)
from .seo import article_json_ld, site_json_ld

PAGE_SIZE = 20
LIST_CACHE_CONTROL = "public, max-age=60"


# ---------------------------------------------------------------------------
# Rendering helpers
# ---------------------------------------------------------------------------
def _base_context(chrome: SiteChrome) -> dict:
    return {
        "site": chrome.settings,
        # Parts every page shares may be kept in memory under it (see newsletter_signup).
        "site_version": chrome.version,
        "nav_sections": chrome.sections,
        "site_url": settings.SITE_URL,
        # Rendered into a placeholder: each reader gets their own token when the page is served.
        "csrf_token": pagecache.CSRF_PLACEHOLDER,
    }


def _place(chrome: SiteChrome) -> tuple:
    s = chrome.settings
    return (s.weather_city, s.weather_latitude, s.weather_longitude)


def _render(request, chrome: SiteChrome, template: str, context: dict) -> pagecache.RenderedPage:
    html = render_to_string(template, {**_base_context(chrome), **context}, request=request)
    return pagecache.RenderedPage(
        html=html, weather_place=_place(chrome), expires_at=chrome.next_ad_change()
    )


def render_page(
    request,
    template: str,
    context: dict,
    *,
    status: int = 200,
    cache_control: str = LIST_CACHE_CONTROL,
    chrome: SiteChrome | None = None,
) -> HttpResponse:
    """Render a reader page that is not stored in the page cache."""
    chrome = chrome or site_chrome_get()
    page = _render(request, chrome, template, context)
    response = HttpResponse(
        pagecache.finalize(request, page, pagecache.weather_reading()), status=status
    )
    response["Cache-Control"] = cache_control
    return response


def _paginate(request, items, per_page: int = PAGE_SIZE):
    """A page of ``items``; a page number that is not a number or out of range is a 404."""
    paginator = Paginator(items, per_page)
    raw = request.GET.get("page", "1")
    try:
        return paginator.page(int(raw) if raw.isdigit() else raw)
    except (InvalidPage, ValueError):
        raise Http404("No such page") from None


def _latest(articles: list) -> dict:
    """ "Latest Articles" and the key its rendered block is kept under (with the site version,
    which changes whenever one of them does)."""
    return {"latest": articles, "latest_key": "-".join(str(a.pk) for a in articles)}


def _article_context(article: Article, chrome: SiteChrome, *, preview: bool) -> dict:
    bylines = list(article.bylines.all())
    return {
        "article": article,
        "bylines": bylines,
        "authors": [b.author for b in bylines],
        "tags": list(article.tags.all()),
        "corrections": list(article.corrections.all()),
        "related": related_articles_for(article),
        **_latest(chrome.latest_for(exclude_id=article.pk)),
        "ads": chrome.ads_for(AdSlot.Placement.ARTICLE),
        "preview": preview,
        "current_section_id": article.section_id,
        "canonical_url": article.canonical_url or absolute_url(article.get_absolute_url()),
        "json_ld": article_json_ld(
            article, bylines=bylines, site=chrome.settings, tags=article.tags.all()
        ),
    }


def render_article_html(request, article: Article, *, chrome: SiteChrome, preview: bool = False):
    return _render(
        request,
        chrome,
        "articles/article_detail.html",
        _article_context(article, chrome, preview=preview),
    )


def render_article_page(request, article: Article, *, preview: bool = False) -> HttpResponse:
    """The article exactly as readers see it, never cached. For the admin's Preview and the
    signed preview links: ``preview=True`` adds the "Preview - not published" banner, noindex
    and private no-store caching. Fetch the article with ``selectors.article_page_queryset()``
    to keep the query count constant."""
    chrome = site_chrome_get()
    page = render_article_html(request, article, chrome=chrome, preview=preview)
    response = HttpResponse(pagecache.finalize(request, page, pagecache.weather_reading()))
    response["Cache-Control"] = pagecache.UNCACHED_CACHE_CONTROL
    if preview:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _is_at(article: Article, year: int, month: int, day: int) -> bool:
    local = timezone.localtime(article.published_at)
    return (local.year, local.month, local.day) == (year, month, day)


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------
@pagecache.page_cache_target(lambda: ("home", "/", None))
@require_safe
def home(request):
    def build(site_version: int):
        chrome = site_chrome_get(site_version=site_version)
        home_page = home_page_get()
        return _render(
            request,
            chrome,
            "articles/home.html",
            {
                "home": home_page,
                "ads": chrome.ads_for(AdSlot.Placement.HOME_TOP),
                "canonical_url": absolute_url("/"),
                "json_ld": site_json_ld(chrome.settings),
            },
        )

    return pagecache.serve(request, kind="home", ident="/", article_id=None, build=build)


def _article_target(year: int, month: int, day: int, slug: str):
    article_id = pagecache.slug_ids.get(slug)
    if article_id is None:
        return None
    return ("article", _article_ident(year, month, day, slug), article_id)


def _article_ident(year: int, month: int, day: int, slug: str) -> str:
    return f"{year:04d}{month:02d}{day:02d}/{slug}"


@pagecache.page_cache_target(_article_target)
@require_safe
def article_detail(request, year: int, month: int, day: int, slug: str):
    article = None
    article_id = pagecache.slug_ids.get(slug)

    def resolve():
        found = article_get_for_reader(slug=slug)
        if found is None:
            raise Http404("No such article")
        if found.slug != slug or not _is_at(found, year, month, day):
            # An old slug or a wrong date: send readers and search engines to the one URL.
            return HttpResponsePermanentRedirect(found.get_absolute_url())
        pagecache.slug_ids.set(slug, found.pk)
        return found

    if article_id is None:
        found = resolve()
        if isinstance(found, HttpResponse):
            return found
        article, article_id = found, found.pk

    def build(site_version: int):
        nonlocal article
        if article is None:
            found = resolve()
            if isinstance(found, HttpResponse):
                return found
            if found.pk != article_id:
                # The slug now belongs to another article: answer under that one's id (and
                # versions), never store it under the old one's.
                return article_detail(request, year, month, day, slug)
            article = found
        chrome = site_chrome_get(site_version=site_version)
        return render_article_html(request, article, chrome=chrome)

    ident = _article_ident(year, month, day, slug)
    return pagecache.serve(request, kind="article", ident=ident, article_id=article_id, build=build)


@require_safe
def section_detail(request, slug: str):
    section = section_get_for_reader(slug=slug)
    if section is None:
        raise Http404("No such section")
    chrome = site_chrome_get()
    page = _paginate(request, article_list_published(section=section))
    return render_page(
        request,
        "articles/section_detail.html",
        {
            "section": section,
            "current_section_id": section.pk,
            "page_obj": page,
            "ads": chrome.ads_for(AdSlot.Placement.SIDEBAR),
            "canonical_url": absolute_url(section.get_absolute_url()),
        },
        chrome=chrome,
    )


@require_safe
def author_detail(request, slug: str):
    author = author_get_for_reader(slug=slug)
    if author is None:
        raise Http404("No such author")
    chrome = site_chrome_get()
    page = _paginate(request, article_list_published(author=author))
    return render_page(
        request,
        "articles/author_detail.html",
        {
            "author": author,
            "page_obj": page,
            "ads": chrome.ads_for(AdSlot.Placement.SIDEBAR),
            "canonical_url": absolute_url(author.get_absolute_url()),
        },
        chrome=chrome,
    )


@require_safe
def tag_detail(request, slug: str):
    tag = tag_get_for_reader(slug=slug)
    if tag is None:
        raise Http404("No such tag")
    chrome = site_chrome_get()
    page = _paginate(request, article_list_published(tag=tag))
    return render_page(
        request,
        "articles/tag_detail.html",
        {
            "tag": tag,
            "page_obj": page,
            "ads": chrome.ads_for(AdSlot.Placement.SIDEBAR),
            "canonical_url": absolute_url(f"/tag/{tag.slug}/"),
        },
        chrome=chrome,
    )


@require_safe
def archive_month(request, year: int, month: int):
    if not 1 <= month <= 12 or year < 1900:
        raise Http404("No such month")
    articles = article_list_published(year=year, month=month)
    page = _paginate(request, articles)
    if not page.object_list:
        # Only months with articles exist, so crawlers cannot walk an endless calendar.
        raise Http404("No articles that month")
    chrome = site_chrome_get()
    return render_page(
        request,
        "articles/archive_month.html",
        {
            "year": year,
            "month": month,
            "month_name": calendar.month_name[month],
            "page_obj": page,
            "ads": chrome.ads_for(AdSlot.Placement.SIDEBAR),
            "canonical_url": absolute_url(f"/archive/{year:04d}/{month:02d}/"),
        },
        chrome=chrome,
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        strip=True,
        error_messages={
            "max_length": f"Please use at most {SEARCH_MAX_LENGTH} characters.",
        },
    )

    def clean_q(self):
        value = self.cleaned_data["q"]
        if "\x00" in value:
            raise forms.ValidationError("The search contains characters that are not allowed.")
        return value


@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    query, page, status = "", None, 200
    if form.is_bound:
        if form.is_valid():
            query = form.cleaned_data["q"]
            if query:
                page = _paginate(request, article_search(query=query))
                search_results_highlight(page.object_list, query=query)
        else:
            status = 400
    chrome = site_chrome_get()
    return render_page(
        request,
        "articles/search.html",
        {
            "form": form,
            "query": query,
            "page_obj": page,
            "ads": chrome.ads_for(AdSlot.Placement.SIDEBAR),
            "noindex": True,
        },
        status=status,
        chrome=chrome,
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /preview/",
        "",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
        f"Sitemap: {absolute_url('/news-sitemap.xml')}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


SITE_PAGES = {"about": "About us", "contact": "Contact", "privacy": "Privacy"}


@require_safe
def site_page(request, page: str):
    """About, contact and privacy: texts kept in the site settings."""
    chrome = site_chrome_get()
    paragraphs = getattr(chrome.settings, f"{page}_paragraphs")
    return render_page(
        request,
        "publication/site_page.html",
        {
            "page_title": SITE_PAGES[page],
            "page": page,
            "paragraphs": paragraphs,
            "canonical_url": absolute_url(f"/{page}/"),
        },
        chrome=chrome,
    )


# ---------------------------------------------------------------------------
# Error pages
# ---------------------------------------------------------------------------
def page_not_found(request, exception=None):
    """404 in the site's look; falls back to a plain page if the chrome cannot be had."""
    try:
        return render_page(
            request,
            "404.html",
            {"noindex": True, **_latest(site_chrome_get().latest_for())},
            status=404,
            cache_control="public, max-age=60",
        )
    except Exception:
        return HttpResponse(render_to_string("500.html", {"not_found": True}), status=404)


def server_error(request):
    """500 without touching the database or the cache: either may be why we are here."""
    return HttpResponse(render_to_string("500.html"), status=500)
