"""What every reader page shows around its content: the site settings and the navigation, read
at most once per request (and not at all by a template that never shows them, such as the
admin's). Exposed to every template by ``website.context_processors.site_chrome``, so the
comments and newsletter pages get the site's layout without importing the reader site."""

from django.utils.functional import SimpleLazyObject

from articles.models import Section
from publication.selectors import site_settings_get


def nav_sections_get() -> list[Section]:
    return list(Section.objects.filter(in_navigation=True))


def _memo(request, name: str, load):
    memo = request.__dict__.setdefault("_website_chrome", {})
    if name not in memo:
        memo[name] = load()
    return memo[name]


def site_settings_for(request):
    return _memo(request, "site", site_settings_get)


def nav_sections_for(request) -> list[Section]:
    return _memo(request, "nav", nav_sections_get)


def lazy_chrome(request) -> dict:
    return {
        "site": SimpleLazyObject(lambda: site_settings_for(request)),
        "nav_sections": SimpleLazyObject(lambda: nav_sections_for(request)),
    }
