"""Reader pages. Thin: parse the URL, call a selector, render, and say what the page shows
(its keys) so every cache drops it exactly when one of those things changes.

Blocks every page shows (the top bar, "Latest Articles", the ads, the newsletter sign-up) are
fragments included with ``{% esi %}`` (website/fragments.py), so they change without making
every page stale.
"""

import calendar

from django import forms
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.models import Article
from articles.purges import ARCHIVE_INDEX_KEY, ARCHIVE_MONTHS_KEY, archive_list_key
from articles.selectors import (
    SEARCH_MAX_LENGTH,
    archive_month_neighbours,
    archive_months_list,
    article_get_for_reader,
    article_list_published,
    article_search,
    author_get_for_reader,
    home_page_get,
    month_bounds,
    related_articles_for,
    section_get_for_reader,
    tag_get_for_reader,
)
from core.links import absolute_url
from edgecache import cache_private

from .chrome import site_settings_for
from .highlight import search_results_highlight
from .keys import Keys, article_key, comments_key
from .live import live_blog_json_ld, live_page_context, live_page_keys
from .rendering import NO_TOKEN, deliver, render_page
from .seo import (
    article_breadcrumbs_json_ld,
    article_json_ld,
    author_json_ld,
    breadcrumbs_json_ld,
    collection_json_ld,
    share_image,
    site_json_ld,
)

PAGE_SIZE = 20
# Search results can change without a purge (an edit that makes an article match a query), so
# shared caches keep them only this long.
SEARCH_SHARED_MAX_AGE = 300


def _paginate(request, items, per_page: int = PAGE_SIZE):
    """A page of ``items``; a page number that is not a number or out of range is a 404."""
    paginator = Paginator(items, per_page)
    raw = request.GET.get("page", "1")
    try:
        return paginator.page(int(raw) if raw.isdigit() else raw)
    except (InvalidPage, ValueError):
        raise Http404("No such page") from None


def _fragment(name: str, **kwargs) -> str:
    return reverse(f"website:fragment-{name}", kwargs=kwargs)


def _article_context(
    request, article: Article, *, preview: bool, bylines=None, corrections=None
) -> dict:
    """``bylines`` and ``corrections`` are the article's own (prefetched) unless a preview of
    a revision passes those it held."""
    bylines = list(article.bylines.all()) if bylines is None else bylines
    corrections = list(article.corrections.all()) if corrections is None else corrections
    tags = list(article.tags.all())
    site = site_settings_for(request)
    context = {
        "article": article,
        "bylines": bylines,
        "authors": [b.author for b in bylines],
        "tags": tags,
        "corrections": corrections,
        "related": related_articles_for(article),
        "latest_fragment": f"{_fragment('latest')}?exclude={int(article.pk)}",
        "ads_fragment": _fragment("ads", placement="article"),
        "preview": preview,
        "current_section_id": article.section_id,
        "canonical_url": article.canonical_url or absolute_url(article.get_absolute_url()),
        "json_ld": article_json_ld(
            article, bylines=bylines, corrections=corrections, site=site, tags=tags
        ),
        "breadcrumbs_json_ld": article_breadcrumbs_json_ld(article),
        # For link previews when the article has no picture of its own.
        "share_image": share_image(site),
    }
    if article.is_live_coverage:
        context.update(live_page_context(request, article))
        context["json_ld"] = live_blog_json_ld(
            article, base=context["json_ld"], page=context["live"]
        )
    return context


def _article_keys(context: dict) -> Keys:
    article = context["article"]
    keys = Keys(article_key(article.pk), comments_key(article.pk)).section(article.section)
    for author in context["authors"]:
        keys.author(author)
    for tag in context["tags"]:
        keys.tag(tag)
    if "live" in context:
        keys.add(*live_page_keys(context))
    return keys.headlines(item.article for item in context["related"])


def render_article(request, article: Article) -> HttpResponse:
    """The article's page as every reader gets it. Fetch the article with
    ``articles.selectors.article_page_queryset()`` to keep the query count constant."""
    context = _article_context(request, article, preview=False)
    return render_page(request, "website/article_detail.html", context, keys=_article_keys(context))


def render_article_preview(
    request, article: Article, *, bylines=None, corrections=None
) -> HttpResponse:
    """The article exactly as readers will see it, with the "Preview - not published" banner,
    noindex, and private no-store caching (the admin's Preview and signed preview links)."""
    context = _article_context(
        request, article, preview=True, bylines=bylines, corrections=corrections
    )
    response = render(request, "website/article_detail.html", {"csrf_token": NO_TOKEN, **context})
    cache_private(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _is_at(article: Article, year: int, month: int, day: int) -> bool:
    local = timezone.localtime(article.published_at)
    return (local.year, local.month, local.day) == (year, month, day)


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------
@require_safe
def home(request):
    home_page = home_page_get()
    keys = Keys("home")
    if home_page.lead is not None:
        keys.listed([home_page.lead, *home_page.top])
    for section, items in home_page.sections:
        keys.add(f"list:section:{section.pk}").section(section).listed(items, bylines=False)
    return render_page(
        request,
        "website/home.html",
        {
            "home": home_page,
            "ads_fragment": _fragment("ads", placement="home_top"),
            "canonical_url": absolute_url("/"),
            "json_ld": site_json_ld(site_settings_for(request)),
            "share_image": share_image(site_settings_for(request)),
        },
        keys=keys,
    )


@require_safe
def article_detail(request, year: int, month: int, day: int, slug: str):
    article = article_get_for_reader(slug=slug)
    if article is None:
        raise Http404("No such article")
    if article.slug != slug or not _is_at(article, year, month, day):
        # An old slug or a wrong date: send readers and search engines to the one URL.
        response = HttpResponsePermanentRedirect(article.get_absolute_url())
        return deliver(request, response, keys=[article_key(article.pk), "notfound"])
    return render_article(request, article)


def _open_graph(*, title: str, description: str, image: dict, kind: str = "website") -> dict:
    """What templates/website/_open_graph.html shows (link previews)."""
    return {"type": kind, "title": title, "description": description, "image": image}


def _collection(request, *, name: str, description: str, path: str, crumbs=()):
    """Structured data of a list page (CollectionPage, with breadcrumbs down to it), given the
    articles the page shows."""
    site = site_settings_for(request)

    def describe(articles) -> list[dict]:
        data = [
            collection_json_ld(
                name=name, description=description, url=path, articles=articles, site=site
            )
        ]
        if crumbs:
            data.append(breadcrumbs_json_ld(("Home", "/"), *crumbs))
        return data

    return describe


def _list_page(
    request, template: str, articles, keys: Keys, context: dict, *, structured, **lifetime
):
    """A paginated list; ``structured(articles)`` gives the page's JSON-LD blocks."""
    page = _paginate(request, articles)
    keys.listed(page.object_list)
    return render_page(
        request,
        template,
        {
            "page_obj": page,
            "ads_fragment": _fragment("ads", placement="sidebar"),
            "json_ld": structured(page.object_list),
            **context,
        },
        keys=keys,
        **lifetime,
    )


@require_safe
def section_detail(request, slug: str):
    section = section_get_for_reader(slug=slug)
    if section is None:
        raise Http404("No such section")
    path = section.get_absolute_url()
    description = section.description or f"The latest from {section.name}."
    return _list_page(
        request,
        "website/section_detail.html",
        article_list_published(section=section),
        Keys(f"list:section:{section.pk}").section(section),
        {
            "section": section,
            "current_section_id": section.pk,
            "canonical_url": absolute_url(path),
            "og": _open_graph(
                title=section.name,
                description=description,
                image=share_image(site_settings_for(request)),
            ),
        },
        structured=_collection(
            request,
            name=section.name,
            description=description,
            path=path,
            crumbs=[(section.name, path)],
        ),
    )


@require_safe
def author_detail(request, slug: str):
    author = author_get_for_reader(slug=slug)
    if author is None:
        raise Http404("No such author")
    site = site_settings_for(request)
    photo = None
    if author.photo:
        photo = {
            "url": absolute_url(author.photo.url),
            "width": author.photo_width,
            "height": author.photo_height,
            "alt": f"Photo of {author.name}",
        }
    return _list_page(
        request,
        "website/author_detail.html",
        article_list_published(author=author),
        Keys(f"list:author:{author.pk}").author(author),
        {
            "author": author,
            "canonical_url": absolute_url(author.get_absolute_url()),
            "og": _open_graph(
                kind="profile",
                title=author.name,
                description=author.job_title or f"Articles by {author.name}.",
                image=photo or share_image(site),
            ),
        },
        structured=lambda articles: [author_json_ld(author, site=site)],
    )


@require_safe
def tag_detail(request, slug: str):
    tag = tag_get_for_reader(slug=slug)
    if tag is None:
        raise Http404("No such tag")
    path = reverse("website:tag", args=[tag.slug])
    description = f"Articles tagged {tag.name}."
    return _list_page(
        request,
        "website/tag_detail.html",
        article_list_published(tag=tag),
        Keys(f"list:tag:{tag.pk}").tag(tag),
        {
            "tag": tag,
            "canonical_url": absolute_url(path),
            "og": _open_graph(
                title=tag.name,
                description=description,
                image=share_image(site_settings_for(request)),
            ),
        },
        structured=_collection(
            request, name=tag.name, description=description, path=path, crumbs=[(tag.name, path)]
        ),
    )


def _month_link(year_month: tuple[int, int] | None) -> dict | None:
    if year_month is None:
        return None
    year, month = year_month
    return {
        "url": reverse("website:archive", kwargs={"year": year, "month": month}),
        "name": f"{calendar.month_name[month]} {year}",
    }


@require_safe
def archive_index(request):
    """Every month with articles, newest first, by year, with how many."""
    years = [
        (
            year,
            [
                {
                    "name": calendar.month_name[month],
                    "url": reverse("website:archive", kwargs={"year": year, "month": month}),
                    "count": count,
                }
                for month, count in months
            ],
        )
        for year, months in archive_months_list()
    ]
    description = f"Every article {site_settings_for(request).site_name} has published, by month."
    return render_page(
        request,
        "website/archive_index.html",
        {
            "years": years,
            "canonical_url": absolute_url(reverse("website:archive-index")),
            "og": _open_graph(
                title="Archive",
                description=description,
                image=share_image(site_settings_for(request)),
            ),
            "json_ld": [breadcrumbs_json_ld(("Home", "/"), ("Archive", "/archive/"))],
            "page_description": description,
        },
        keys=Keys(ARCHIVE_INDEX_KEY),
    )


@require_safe
def archive_month(request, year: int, month: int):
    if not 1 <= month <= 12 or year < 1900:
        raise Http404("No such month")
    try:
        start = month_bounds(year, month)[0]
    except (ValueError, OverflowError):
        raise Http404("No such month") from None  # past the calendar's end (year 9999)
    page = _paginate(request, article_list_published(year=year, month=month))
    if not page.object_list:
        # Only months with articles exist, so crawlers cannot walk an endless calendar.
        raise Http404("No articles that month")
    earlier, later = archive_month_neighbours(year=year, month=month)
    keys = Keys(archive_list_key(start), ARCHIVE_MONTHS_KEY).listed(page.object_list)
    name = f"{calendar.month_name[month]} {year}"
    path = reverse("website:archive", kwargs={"year": year, "month": month})
    description = f"Articles published in {name}."
    structured = _collection(
        request,
        name=name,
        description=description,
        path=path,
        crumbs=[("Archive", reverse("website:archive-index")), (name, path)],
    )
    return render_page(
        request,
        "website/archive_month.html",
        {
            "year": year,
            "month": month,
            "month_name": calendar.month_name[month],
            "page_obj": page,
            "earlier": _month_link(earlier),
            "later": _month_link(later),
            "ads_fragment": _fragment("ads", placement="sidebar"),
            "canonical_url": absolute_url(path),
            "og": _open_graph(
                title=name, description=description, image=share_image(site_settings_for(request))
            ),
            "json_ld": structured(page.object_list),
        },
        keys=keys,
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
    keys = Keys("search")
    if form.is_bound:
        if form.is_valid():
            query = form.cleaned_data["q"]
            if query:
                page = _paginate(request, article_search(query=query))
                search_results_highlight(page.object_list, query=query)
                keys.listed(page.object_list, bylines=False)
        else:
            status = 400
    return render_page(
        request,
        "website/search.html",
        {
            "form": form,
            "query": query,
            "page_obj": page,
            "ads_fragment": _fragment("ads", placement="sidebar"),
            "noindex": True,
        },
        keys=keys,
        status=status,
        shared_max_age=SEARCH_SHARED_MAX_AGE,
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /preview/",
        "Disallow: /_fragments/",
        "Disallow: /reader/",
        # Live coverage's machine documents: the ids a page's script polls for and the entries
        # it inserts, changing every few seconds and shown on the article page anyway (which
        # renders without them). Its feeds stay open.
        "Disallow: /live/*/updates/",
        "Disallow: /live/*/entries/",
        "",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
        f"Sitemap: {absolute_url('/news-sitemap.xml')}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    return deliver(request, response, keys=["site"])


SITE_PAGES = {"about": "About us", "contact": "Contact", "privacy": "Privacy"}


@require_safe
def site_page(request, page: str):
    """About, contact and privacy: texts kept in the site settings."""
    paragraphs = getattr(site_settings_for(request), f"{page}_paragraphs")
    return render_page(
        request,
        "website/site_page.html",
        {
            "page_title": SITE_PAGES[page],
            "page": page,
            "paragraphs": paragraphs,
            "canonical_url": absolute_url(f"/{page}/"),
        },
        keys=(),
    )


# ---------------------------------------------------------------------------
# Error pages
# ---------------------------------------------------------------------------
def _is_reader_url(path: str) -> bool:
    """A path of the reader site, or of nothing at all (a 404 the next article may fill)."""
    try:
        match = resolve(path)
    except Resolver404:
        return True
    return match.namespace == "website"


def page_not_found(request, exception=None):
    """404 in the site's look, the same for everyone, until something is published (key
    ``notfound``); falls back to a plain page if the layout cannot be drawn."""
    try:
        response = render_page(
            request,
            "404.html",
            {"noindex": True, "latest_fragment": _fragment("latest")},
            keys=["notfound"],
            status=404,
        )
    except Exception:
        response = HttpResponse(render_to_string("500.html", {"not_found": True}), status=404)
        return cache_private(response)
    if not _is_reader_url(request.path_info):
        # Comments, newsletter and admin addresses change without a reader-site purge.
        cache_private(response)
    return response


def server_error(request):
    """500 without touching the database or the cache: either may be why we are here."""
    response = HttpResponse(render_to_string("500.html"), status=500)
    return cache_private(response)
