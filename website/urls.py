"""The reader site's URLs. News URLs never change: /<yyyy>/<mm>/<dd>/<slug>/."""

from django.urls import path, register_converter

from . import feeds, fragments, live, sitemaps, state, views

app_name = "website"


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

urlpatterns = [
    path("", views.home, name="home"),
    path("<yyyy:year>/<nn:month>/<nn:day>/<slug:slug>/", views.article_detail, name="detail"),
    path("section/<slug:slug>/", views.section_detail, name="section"),
    path("section/<slug:slug>/feed/", feeds.SectionFeed.view(), name="section-feed"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    path("author/<slug:slug>/feed/", feeds.AuthorFeed.view(), name="author-feed"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("tag/<slug:slug>/feed/", feeds.TagFeed.view(), name="tag-feed"),
    path("search/", views.search, name="search"),
    path("archive/", views.archive_index, name="archive-index"),
    path("archive/<yyyy:year>/<nn:month>/", views.archive_month, name="archive"),
    path("feed/", feeds.LatestArticlesFeed.view(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed.view(), name="feed-atom"),
    path(
        "sitemap.xml",
        sitemaps.sitemap_index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "website:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap_section,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news-sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("about/", views.site_page, {"page": "about"}, name="about"),
    path("contact/", views.site_page, {"page": "contact"}, name="contact"),
    path("privacy/", views.site_page, {"page": "privacy"}, name="privacy"),
    # Blocks every page shows, included with {% esi %} (website/fragments.py).
    path("_fragments/topbar/", fragments.topbar, name="fragment-topbar"),
    path("_fragments/latest/", fragments.latest, name="fragment-latest"),
    path("_fragments/ads/<slug:placement>/", fragments.ads, name="fragment-ads"),
    path("_fragments/newsletter/", fragments.newsletter, name="fragment-newsletter"),
    # Live coverage: the polling document, the entries a reader lacks, the entries' feeds.
    path("live/<int:article_id>/updates/", live.updates, name="live-updates"),
    path("live/<int:article_id>/entries/", live.entries_after, name="live-entries"),
    path("live/<int:article_id>/feed/", live.LiveEntriesFeed.view(), name="live-feed"),
    path(
        "live/<int:article_id>/feed/atom/", live.LiveEntriesAtomFeed.view(), name="live-feed-atom"
    ),
    # One reader's own values, for the page's script (never cached).
    path("reader/state/", state.reader_state, name="reader-state"),
]
