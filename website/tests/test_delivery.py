"""Reader pages as public documents: the same bytes for every anonymous reader, the keys of what
they show, private for staff, purged by exactly the changes that touch them, served from the
origin cache through the whole middleware stack."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from taggit.models import Tag

from articles.selectors import LATEST_LIMIT
from articles.services import editing, workflow
from articles.tests.factories import BylineFactory, SectionFactory
from articles.tests.site_helpers import published
from authors.tests.factories import AuthorFactory
from comments.tests.factories import CommentFactory
from publication.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    """A live story with a byline, tags and a related article in its section."""
    world = SectionFactory(name="World", slug="world")
    article = published(section=world, title="Harbour plan approved", tags=["harbour", "port"])
    BylineFactory(article=article, author=AuthorFactory(slug="ada"))
    published(section=world, title="Older harbour story", ago=timedelta(days=1))
    return article


def keys_of(response) -> set[str]:
    return set(response["xkey"].split())


def reader(**cookies) -> Client:
    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    return client


READER_URLS = [
    "/",
    "{article}",
    "/section/world/",
    "/author/ada/",
    "/tag/harbour/",
    "/archive/",
    "/archive/{ym}/",
    "/search/?q=harbour",
    "/feed/",
    "/feed/atom/",
    "/section/world/feed/",
    "/author/ada/feed/",
    "/tag/harbour/feed/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/news-sitemap.xml",
    "/robots.txt",
    "/about/",
    "/_fragments/topbar/",
    "/_fragments/latest/",
    "/_fragments/ads/article/",
    "/_fragments/newsletter/",
]


def fill(url: str, article) -> str:
    ym = timezone.localtime(article.published_at).strftime("%Y/%m")
    return url.format(article=article.get_absolute_url(), ym=ym)


@pytest.mark.parametrize("url", READER_URLS)
def test_every_reader_page_is_the_same_public_document_for_every_anonymous_reader(story, url):
    url = fill(url, story)
    first = reader(csrftoken="a" * 32, newsroom_commenter="%7B%7D").get(url)
    second = reader(csrftoken="b" * 32, newsroom_pending="x", other="1").get(url)
    assert first.status_code == 200, url
    assert second["X-Origin-Cache"] == "hit", url
    assert second.content == first.content  # byte for byte
    for response in (first, second):
        control = response["Cache-Control"]
        assert control.startswith("public, max-age=")
        for part in ("s-maxage=", "stale-while-revalidate=60", "stale-if-error=86400"):
            assert part in control, (url, control)
        assert response["Vary"] == "Accept-Encoding"
        assert not response.cookies, url
        assert "Set-Cookie" not in response
        assert response["ETag"] and response["Last-Modified"]
        assert keys_of(response), url
    assert b"csrfmiddlewaretoken" not in first.content


def test_the_article_page_carries_the_key_of_everything_it_shows(story):
    related = story.section.articles.exclude(pk=story.pk).get()
    # As Varnish gets it (the includes left to it): the page's own keys and lifetime.
    response = Client().get(story.get_absolute_url(), HTTP_SURROGATE_CAPABILITY='v="ESI/1.0"')
    author = story.bylines.get().author
    tags = Tag.objects.filter(name__in=["harbour", "port"])
    assert keys_of(response) == {
        f"article:{story.pk}",
        f"comments:{story.pk}",
        f"section:{story.section_id}",
        f"author:{author.pk}",
        *(f"tag:{tag.pk}" for tag in tags),
        f"headline:{related.pk}",
        "site",
        "nav",
    }
    assert response["Cache-Control"] == (
        "public, max-age=60, s-maxage=86400, stale-while-revalidate=60, stale-if-error=86400"
    )


def test_list_pages_carry_their_list_and_what_they_list(story):
    author = story.bylines.get().author
    section = Client().get("/section/world/")
    assert {f"list:section:{story.section_id}", f"section:{story.section_id}"} <= keys_of(section)
    assert {f"article:{story.pk}", f"author:{author.pk}", "site", "nav"} <= keys_of(section)
    home = Client().get("/")
    assert {"home", f"article:{story.pk}", f"author:{author.pk}"} <= keys_of(home)
    local = timezone.localtime(story.published_at)
    archive = Client().get(f"/archive/{local:%Y/%m}/")
    assert f"list:archive:{local:%Y-%m}" in keys_of(archive)
    assert {"search", f"article:{story.pk}"} <= keys_of(Client().get("/search/?q=harbour"))
    feed = Client().get("/author/ada/feed/")
    assert {"feeds", f"list:author:{author.pk}", f"author:{author.pk}"} <= keys_of(feed)
    assert "sitemaps" in keys_of(Client().get("/sitemap.xml"))


def test_fragments_carry_their_own_keys_and_short_lifetimes(story):
    latest = Client().get(f"/_fragments/latest/?exclude={story.pk}")
    assert "latest" in keys_of(latest) and f"headline:{story.pk}" not in keys_of(latest)
    older = story.section.articles.exclude(pk=story.pk).get()
    assert {f"headline:{older.pk}", f"section:{older.section_id}"} <= keys_of(latest)
    assert not any(key.startswith("article:") for key in keys_of(latest))
    assert "s-maxage=300" in latest["Cache-Control"]
    assert keys_of(Client().get("/_fragments/ads/sidebar/")) == {"ads"}
    assert keys_of(Client().get("/_fragments/newsletter/")) == {"newsletter-lists"}
    topbar = Client().get("/_fragments/topbar/")
    assert keys_of(topbar) == {"weather", "site"}
    shared = int(topbar["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < shared <= 24 * 3600
    assert timezone.localdate().strftime("%B") in topbar.content.decode()
    assert Client().get("/_fragments/ads/nowhere/").status_code == 404
    assert Client().get("/_fragments/latest/?exclude=abc").status_code == 404


def test_the_top_bar_date_lives_until_local_midnight(story, settings, monkeypatch):
    from website import fragments

    settings.TIME_ZONE = "Europe/Berlin"
    late = timezone.make_aware(timezone.datetime(2026, 3, 1, 23, 59, 30))
    assert fragments.seconds_to_midnight(late) == 30
    monkeypatch.setattr(fragments, "seconds_to_midnight", lambda now=None: 42.0)
    response = Client().get("/_fragments/topbar/")
    assert "s-maxage=42," in response["Cache-Control"]
    assert "max-age=42," in response["Cache-Control"]


def test_the_page_assembled_by_the_origin_lives_no_longer_than_its_top_bar(story, monkeypatch):
    from website import fragments

    monkeypatch.setattr(fragments, "seconds_to_midnight", lambda now=None: 120.0)
    response = Client().get(story.get_absolute_url())
    assert 'class="topbar__date"' in response.content.decode()
    assert "<esi:include" not in response.content.decode()
    shared = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert shared <= 120
    # The origin cache keeps the page itself longer: only the top bar is rendered again.
    assert Client().get(story.get_absolute_url())["X-Origin-Cache"] == "hit"


def test_a_surrogate_gets_the_includes_to_assemble_itself(story):
    response = Client().get(story.get_absolute_url(), HTTP_SURROGATE_CAPABILITY='v="ESI/1.0"')
    html = response.content.decode()
    assert response["Surrogate-Control"] == 'content="ESI/1.0"'
    assert '<esi:include src="/_fragments/topbar/"/>' in html
    assert f'<esi:include src="/_fragments/latest/?exclude={story.pk}"/>' in html
    assert '<esi:include src="/_fragments/ads/article/"/>' in html
    assert '<esi:include src="/_fragments/newsletter/"/>' in html


def test_signed_in_staff_and_api_clients_get_the_page_private(story, editor):
    url = story.get_absolute_url()
    Client().get(url)  # stored for readers
    staff = Client()
    staff.force_login(editor)
    response = staff.get(url)
    assert response["Cache-Control"] == "private, no-store"
    assert "xkey" not in response
    assert response["X-Origin-Cache"] == "bypass"
    with_token = Client().get(url, HTTP_AUTHORIZATION="Token abc")
    assert with_token["Cache-Control"] == "private, no-store"
    # Staff requests neither read nor spoil what readers get.
    assert Client().get(url)["X-Origin-Cache"] == "hit"


def test_an_edit_purges_the_article_page_and_not_an_unrelated_one(
    story, editor, django_capture_on_commit_callbacks
):
    other = published(section=SectionFactory(slug="sport"), title="Cup final tonight")
    for article in (story, other):
        assert Client().get(article.get_absolute_url())["X-Origin-Cache"] == "miss"
        assert Client().get(article.get_absolute_url())["X-Origin-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        editing.article_update(
            user=editor,
            article=story,
            data={"title": "Harbour plan approved after a long night"},
            expected_version=None,
        )

    edited = Client().get(story.get_absolute_url())
    assert edited["X-Origin-Cache"] == "miss"
    assert "Harbour plan approved after a long night</h1>" in edited.content.decode()
    unrelated = Client().get(other.get_absolute_url())
    assert unrelated["X-Origin-Cache"] == "hit"


def test_an_edit_to_a_story_s_text_keeps_the_pages_listing_its_headline(
    story, editor, django_capture_on_commit_callbacks
):
    """A live story updated every few seconds purges its own page, not "Latest Articles" nor
    the pages showing it under "Related Articles"; a new headline purges them."""
    older = story.section.articles.exclude(pk=story.pk).get()
    # The fragment first: the page's assembly would render it again.
    listing = [f"/_fragments/latest/?exclude={older.pk}", older.get_absolute_url()]
    for url in (story.get_absolute_url(), *listing):
        Client().get(url)
        assert Client().get(url)["X-Origin-Cache"] == "hit"
    assert "Harbour plan approved" in Client().get(older.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        story = editing.article_update(
            user=editor, article=story, data={"dek": "Live: update 1"}, expected_version=None
        )
    assert Client().get(story.get_absolute_url())["X-Origin-Cache"] == "miss"
    for url in listing:
        assert Client().get(url)["X-Origin-Cache"] == "hit", url

    with django_capture_on_commit_callbacks(execute=True):
        editing.article_update(
            user=editor, article=story, data={"title": "Harbour plan signed"}, expected_version=None
        )
    for url in listing:
        response = Client().get(url)
        assert response["X-Origin-Cache"] == "miss", url
        assert "Harbour plan signed" in response.content.decode()


def test_a_publish_re_renders_latest_articles_for_the_newest_few_articles_only(
    story, editor, django_capture_on_commit_callbacks
):
    """Every article page asks for its own "Latest Articles" (without itself), but an article
    that is not among the newest gets an include of the one shared list: a publish re-renders
    that list and the copies of the newest few, not one copy per article of the site."""
    archive = [
        published(section=story.section, title=f"Archive story {n}", ago=timedelta(days=10 + n))
        for n in range(LATEST_LIMIT)
    ]
    oldest = f"/_fragments/latest/?exclude={archive[-1].pk}"
    newest = f"/_fragments/latest/?exclude={story.pk}"
    as_surrogate = Client().get(oldest, HTTP_SURROGATE_CAPABILITY='v="ESI/1.0"')
    assert as_surrogate.content.decode() == '<esi:include src="/_fragments/latest/"/>'
    assert keys_of(as_surrogate) == {"latest-ranks", f"headline:{archive[-1].pk}"}
    own = Client().get(newest).content.decode()
    assert own.count("<li>") == LATEST_LIMIT and ">Harbour plan approved<" not in own
    assert ">Archive story 3<" in own  # the next one moves up
    page = Client().get(archive[-1].get_absolute_url()).content.decode()
    assert "<esi:include" not in page
    assert ">Harbour plan approved<" in page.split('id="latest-title"')[1]
    for url in (oldest, newest, "/_fragments/latest/"):
        assert Client().get(url)["X-Origin-Cache"] == "hit", url

    with django_capture_on_commit_callbacks(execute=True):
        fresh = editing.article_create(user=editor, title="Ferry strike", section=story.section)
        workflow.article_publish(user=editor, article=fresh)
    assert Client().get(oldest)["X-Origin-Cache"] == "hit"
    for url in (newest, "/_fragments/latest/"):
        response = Client().get(url)
        assert response["X-Origin-Cache"] == "miss", url
        assert ">Ferry strike<" in response.content.decode()
    assert ">Ferry strike<" in Client().get(archive[-1].get_absolute_url()).content.decode()

    # A withdrawal brings an older article among the newest: its copy must leave itself out.
    entering = f"/_fragments/latest/?exclude={archive[2].pk}"
    stub = Client().get(entering, HTTP_SURROGATE_CAPABILITY='v="ESI/1.0"')
    assert "<li>" not in stub.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_unpublish(user=editor, article=fresh)
        workflow.article_unpublish(user=editor, article=story)
    response = Client().get(entering)
    assert response["X-Origin-Cache"] == "miss"
    assert ">Archive story 2<" not in response.content.decode()
    assert ">Archive story 4<" in response.content.decode()
    assert "latest" in keys_of(response)


def test_a_new_article_appears_on_the_home_page_its_section_and_the_feed_at_once(
    story, editor, django_capture_on_commit_callbacks
):
    for url in ("/", "/section/world/", "/feed/"):
        Client().get(url)
        assert Client().get(url)["X-Origin-Cache"] == "hit"
    fresh = editing.article_create(
        user=editor, title="Breaking: ferry strike", section=story.section
    )
    missing = Client().get(f"/2020/01/01/{fresh.slug}/")
    assert missing.status_code == 404 and "notfound" in keys_of(missing)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_publish(user=editor, article=fresh)
    fresh.refresh_from_db()
    for url in ("/", "/section/world/", "/feed/"):
        assert "Breaking: ferry strike" in Client().get(url).content.decode(), url
    assert Client().get(fresh.get_absolute_url()).status_code == 200


def test_a_correction_moves_the_updated_time_wherever_readers_and_search_engines_look(
    story, editor, django_capture_on_commit_callbacks
):
    """The page's "Updated" line and JSON-LD dateModified, the feeds' Atom <updated> and the
    API's updated_at, each purged from the caches that held the old time."""
    import json
    import re
    import xml.etree.ElementTree as ET

    from articles.services import corrections

    urls = [
        story.get_absolute_url(),
        "/feed/atom/",
        "/section/world/feed/",
        f"/api/v1/articles/{story.pk}/",
        "/api/v1/articles/",
    ]
    for url in urls:
        Client().get(url)
        assert Client().get(url)["X-Origin-Cache"] == "hit", url
    assert "Updated <time" not in Client().get(story.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        note = corrections.correction_add(
            user=editor, article=story, kind="correction", text="The vote was 31 to 12."
        )
    noted = timezone.localtime(note.noted_at).replace(microsecond=0)

    page = Client().get(story.get_absolute_url())
    assert page["X-Origin-Cache"] == "miss"
    html = page.content.decode()
    assert f'Updated <time datetime="{noted.isoformat()}">' in html
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    article = next(json.loads(b) for b in blocks if '"NewsArticle"' in b)
    assert article["dateModified"] == noted.isoformat() != article["datePublished"]
    for url in ("/feed/atom/", "/section/world/feed/"):
        response = Client().get(url)
        assert response["X-Origin-Cache"] == "miss", url
        if url.endswith("atom/"):
            atom = "{http://www.w3.org/2005/Atom}"
            entry = ET.fromstring(response.content).find(f"{atom}entry")  # noqa: S314
            updated = entry.findtext(f"{atom}updated")
            assert timezone.datetime.fromisoformat(updated) == note.noted_at
    detail = Client().get(f"/api/v1/articles/{story.pk}/")
    assert timezone.datetime.fromisoformat(detail.json()["updated_at"]) == note.noted_at
    listed = Client().get("/api/v1/articles/").json()["results"]
    assert timezone.datetime.fromisoformat(listed[0]["updated_at"]) == note.noted_at


def test_the_archive_follows_publishes_and_withdrawals(editor, django_capture_on_commit_callbacks):
    """The index's months and counts change with every publish; a month page's links to the
    months around it only when a month gains its first article or loses its last."""
    from articles.tests.factories import ArticleFactory

    def on(year, month):
        when = timezone.make_aware(timezone.datetime(year, month, 10, 12))
        return ArticleFactory(published=True, published_at=when, first_published_at=when)

    on(2024, 3), on(2024, 5)
    now = timezone.localtime()
    index, may = "/archive/", "/archive/2024/05/"
    this_month = f"/archive/{now:%Y/%m}/"
    assert "list:archive" in keys_of(Client().get(index))
    assert "archive-months" in keys_of(Client().get(may))
    for url in (index, may):
        assert Client().get(url)["X-Origin-Cache"] == "hit"
    html = Client().get(may).content.decode()
    assert 'href="/archive/2024/03/">March 2024 →' in html and this_month not in html

    section = SectionFactory(slug="world")
    with django_capture_on_commit_callbacks(execute=True):
        first = editing.article_create(user=editor, title="Ferry strike", section=section)
        workflow.article_publish(user=editor, article=first)
    response = Client().get(index)
    assert response["X-Origin-Cache"] == "miss"
    assert f'href="{this_month}">{now:%B %Y}</a> <span class="archive-year__count">1 article<' in (
        response.content.decode()
    )
    response = Client().get(may)
    assert response["X-Origin-Cache"] == "miss"  # a month after it now has articles
    assert f'href="{this_month}">← {now:%B %Y}' in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        second = editing.article_create(user=editor, title="Ferry deal", section=section)
        workflow.article_publish(user=editor, article=second)
    assert Client().get(may)["X-Origin-Cache"] == "hit"  # no month appeared
    assert "2 articles" in Client().get(index).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_unpublish(user=editor, article=second)
        workflow.article_unpublish(user=editor, article=first)
    assert this_month not in Client().get(may).content.decode()
    assert this_month not in Client().get(index).content.decode()


def test_a_new_comment_approval_purges_only_its_article(
    story, moderator, django_capture_on_commit_callbacks
):
    from comments import services

    other = published(title="Cup final tonight")
    comment = CommentFactory(article=story, pending=True, body="Well reported")
    for article in (story, other):
        Client().get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(actor=moderator, comment=comment, action="approve")
    page = Client().get(story.get_absolute_url())
    assert page["X-Origin-Cache"] == "miss" and "Well reported" in page.content.decode()
    assert Client().get(other.get_absolute_url())["X-Origin-Cache"] == "hit"


def test_a_site_settings_change_purges_every_page(story, django_capture_on_commit_callbacks):
    Client().get("/")
    with django_capture_on_commit_callbacks(execute=True):
        SiteSettings.objects.create(site_name="The Harbour Herald")
    assert "The Harbour Herald" in Client().get("/").content.decode()


def test_a_cached_hit_goes_through_the_whole_middleware_stack(story, settings):
    """A hit is answered by the last middleware in place of the view: every middleware above it,
    including one added later, handles it like a rendered page (nothing is replayed)."""
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:-1],
        "website.tests.middleware.MarkEveryResponse",
        settings.MIDDLEWARE[-1],
    ]
    url = story.get_absolute_url()
    miss, hit = Client().get(url), Client().get(url)
    assert hit["X-Origin-Cache"] == "hit"
    for response in (miss, hit):
        assert response["X-Seen-By"] == "mark-every-response"
        assert "Content-Security-Policy" in response
        assert response["X-Frame-Options"] == "DENY"


def test_conditional_requests_answer_304_for_a_current_page(story):
    url = story.get_absolute_url()
    first = Client().get(url)
    again = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = Client().get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_IF_NONE_MATCH": "*"}, {"HTTP_IF_MODIFIED_SINCE": "Fri, 01 Jan 2100 00:00:00 GMT"}],
)
def test_a_withdrawn_article_answers_404_never_304(
    story, editor, headers, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    Client().get(url)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_unpublish(user=editor, article=story)
    response = Client().get(url, **headers)
    assert response.status_code == 404
    never_seen = Client().get("/2020/01/01/never-here/", **headers)
    assert never_seen.status_code == 404


@pytest.mark.parametrize(
    "url", ["/archive/9999/12/", "/archive/9999/01/", "/archive/0000/01/", "/archive/1899/12/"]
)
def test_out_of_range_archive_months_are_404(url):
    assert Client().get(url).status_code == 404


def test_reader_404s_are_public_and_other_404s_private():
    page = Client().get("/no/such/page/")
    assert page.status_code == 404
    assert "notfound" in keys_of(page)
    assert page["Cache-Control"].startswith("public")
    comment = Client().get("/comments/999999/reply/")
    assert comment.status_code == 404
    assert comment["Cache-Control"] == "private, no-store"


def test_the_reader_state_is_private_and_fresh(story):
    client = Client()
    first = client.get(f"/reader/state/?article={story.pk}")
    assert first["Cache-Control"] == "private, no-store"
    assert first.cookies["csrftoken"].value
    data = first.json()
    assert data["csrf_token"] and data["stamp"] and data["pending_html"] == ""
    assert data["commenter"] is None
    assert client.get("/reader/state/").json()["csrf_token"] != data["csrf_token"]
    assert "stamp" not in client.get("/reader/state/?article=abc").json()


PAGE_QUERIES = {
    # The page's own queries (with the site settings and the navigation); fragments apart.
    "/": 7,
    "{article}": 11,
    "/section/world/": 7,
    "/author/ada/": 7,
    "/tag/harbour/": 7,
    "/archive/": 3,
    # The month's articles and the months before and after it.
    "/archive/{ym}/": 8,
    "/search/?q=harbour": 5,
    # Full-text feeds read the entries' corrections too.
    "/feed/": 5,
    "/section/world/feed/": 6,
    "/author/ada/feed/": 6,
    "/tag/harbour/feed/": 6,
    # The index counts and dates each of its five sitemaps.
    "/sitemap.xml": 16,
    "/sitemap-articles.xml": 3,
    "/news-sitemap.xml": 3,
    "/robots.txt": 0,
    "/about/": 2,
    "/_fragments/topbar/": 2,
    "/_fragments/latest/": 1,
    "/_fragments/ads/article/": 1,
    "/_fragments/newsletter/": 1,
}


@pytest.mark.parametrize("url", PAGE_QUERIES)
def test_every_reader_page_runs_a_constant_number_of_queries(
    url, settings, django_assert_max_num_queries, story
):
    settings.EDGECACHE_ORIGIN_CACHE = False
    for n in range(12):  # more of everything: the counts must not grow with it
        more = published(section=story.section, tags=["harbour", "port"], title=f"Harbour {n}")
        BylineFactory(article=more, author=AuthorFactory())
        BylineFactory(article=more, author=story.bylines.get().author)
    limit = PAGE_QUERIES[url]
    # As Varnish asks: the page alone; its fragments are requests of their own (above).
    with django_assert_max_num_queries(limit):
        response = Client().get(fill(url, story), HTTP_SURROGATE_CAPABILITY='v="ESI/1.0"')
    assert response.status_code == 200


def test_a_new_author_or_section_page_replaces_its_cached_404(
    editor, django_capture_on_commit_callbacks
):
    from authors.services import author_create

    for url in ("/author/new-voice/", "/section/climate/"):
        assert Client().get(url).status_code == 404
        assert Client().get(url)["X-Origin-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        author_create(user=editor, name="New Voice", slug="new-voice")
    with django_capture_on_commit_callbacks(execute=True):
        SectionFactory(name="Climate", slug="climate", in_navigation=False)
    for url in ("/author/new-voice/", "/section/climate/"):
        assert Client().get(url).status_code == 200, url
