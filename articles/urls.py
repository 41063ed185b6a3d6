"""The reader site's URLs. News URLs never change: /<yyyy>/<mm>/<dd>/<slug>/."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter
from django.views.decorators.cache import cache_control

from . import feeds, preview_views, sitemaps, views

app_name = "articles"


class _Digits:
    def __init__(self, length: int):
        self.regex = rf"[0-9]{{{length}}}"
        self.length = length

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):0{self.length}d}"


class YearConverter(_Digits):
    def __init__(self):
        super().__init__(4)


class TwoDigitConverter(_Digits):
    def __init__(self):
        super().__init__(2)


register_converter(YearConverter, "yyyy")
register_converter(TwoDigitConverter, "nn")

_sitemap_cache = cache_control(public=True, max_age=300)

urlpatterns = [
    path("", views.home, name="home"),
    path("<yyyy:year>/<nn:month>/<nn:day>/<slug:slug>/", views.article_detail, name="detail"),
    path("section/<slug:slug>/", views.section_detail, name="section"),
    path("section/<slug:slug>/feed/", feeds.SectionFeed(), name="section-feed"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    path("author/<slug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("search/", views.search, name="search"),
    path("archive/<yyyy:year>/<nn:month>/", views.archive_month, name="archive"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path(
        "sitemap.xml",
        _sitemap_cache(sitemap_views.index),
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        _sitemap_cache(sitemap_views.sitemap),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news-sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("preview/<str:token>/", preview_views.preview_link_view, name="preview"),
    path("about/", views.site_page, {"page": "about"}, name="about"),
    path("contact/", views.site_page, {"page": "contact"}, name="contact"),
    path("privacy/", views.site_page, {"page": "privacy"}, name="privacy"),
]
