"""Anonymous reads are public documents: the same bytes for every client, held by the origin
cache (and Varnish or a CDN) under the keys of what they show; everything else is private.
What each change purges is in test_public_cache_purges.py."""

import re

import pytest

from articles.models import Article
from articles.tests.factories import ArticleFactory, RelatedLinkFactory, SectionFactory
from authors.models import Author
from comments.models import Comment
from edgecache import purge

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
SITE = "https://news.example.org"


def approve(article, body: str) -> Comment:
    return Comment.objects.create(
        article=article, author_name="Kim", author_email="kim@example.org", body=body,
        status=Comment.Status.APPROVED, content_hash=body,
    )  # fmt: skip


def anonymous_reads(article) -> list[str]:
    author = article.bylines.first().author
    return [
        LIST,
        f"{LIST}?section=city&page_size=5",
        f"{LIST}?tag=harbour",
        f"{LIST}?author={author.slug}",
        f"{LIST}?is_breaking=false",
        f"{LIST}?q=harbour",
        f"{LIST}?published_after=2000-01-01",
        f"{LIST}{article.pk}/",
        f"{LIST}{article.pk}/comments/",
        "/api/v1/sections/",
        "/api/v1/sections/city/",
        "/api/v1/tags/",
        "/api/v1/authors/",
        f"/api/v1/authors/{author.pk}/",
        "/api/v1/",
        "/api/v1/schema/",
        "/api/v1/docs/",
        "/api/v1/docs/?script",
        "/api/v1/guide/",
    ]


def test_every_anonymous_read_is_the_same_document_the_second_time_from_the_origin_cache(
    api, published, settings, django_assert_num_queries
):
    approve(published, "First!")
    for url in anonymous_reads(published):
        first = api.get(url)
        with django_assert_num_queries(0):
            second = api.get(url)
        assert first.status_code == second.status_code == 200, url
        assert (first["X-Origin-Cache"], second["X-Origin-Cache"]) == ("miss", "hit"), url
        assert second.content == first.content, url
        assert second["ETag"] == first["ETag"], url
        assert second["Last-Modified"] == first["Last-Modified"], url
        for response in (first, second):
            assert response["Cache-Control"].startswith(
                f"public, max-age={settings.API_CACHE_MAX_AGE}, s-maxage="
            ), url
            assert response["Vary"] == "Accept-Encoding", url
            assert "Set-Cookie" not in response and not response.cookies, url


def test_head_is_answered_like_get(api, published):
    get = api.get(f"{LIST}{published.pk}/")
    head = api.head(f"{LIST}{published.pk}/")
    assert head.status_code == 200 and head["X-Origin-Cache"] == "hit"
    assert head["ETag"] == get["ETag"] and head["xkey"] == get["xkey"]


def test_each_document_carries_the_keys_of_what_it_shows(api, published, settings):
    section, author = published.section, published.bylines.get().author
    harbour = published.tags.get()
    other = ArticleFactory(published=True, section=section, tags=["Harbour"], authors=[author])
    RelatedLinkFactory(article=published, target=other, position=0)
    a, o = published.pk, other.pk

    def keys(url: str) -> list[str]:
        return api.get(url)["xkey"].split()

    shown = [f"section:{section.pk}", f"author:{author.pk}"]
    assert keys(f"{LIST}{a}/") == [
        f"article:{a}", f"comments:{a}", *shown, f"tag:{harbour.pk}", f"headline:{o}"
    ]  # fmt: skip
    both = [f"article:{o}", f"comments:{o}", *shown, f"article:{a}", f"comments:{a}"]
    assert keys(LIST) == ["api", "tags", *both]
    assert keys(f"{LIST}?section=city") == [f"list:section:{section.pk}", "tags", *both]
    assert keys(f"{LIST}?tag=harbour&author={author.slug}") == [
        f"list:author:{author.pk}", f"list:tag:{harbour.pk}", "tags", *both
    ]  # fmt: skip
    assert keys(f"{LIST}?is_breaking=true") == ["api", "list:breaking", "tags"]
    assert keys(f"{LIST}{a}/comments/") == [f"comments:{a}", f"article:{a}"]
    assert keys("/api/v1/sections/") == ["list:sections"]
    assert keys("/api/v1/sections/city/") == [f"section:{section.pk}"]
    assert keys("/api/v1/tags/") == ["api", "list:tags", "tags"]
    assert keys("/api/v1/authors/") == ["list:authors", "api"]
    assert keys(f"/api/v1/authors/{author.pk}/") == [
        f"author:{author.pk}", f"list:author:{author.pk}"
    ]  # fmt: skip
    assert keys("/api/v1/schema/") == ["newsletter-lists"]
    assert "xkey" not in api.get("/api/v1/")  # changes only with a release
    # A search's results change with edits to articles it does not list: a short life.
    search = api.get(LIST, {"q": "harbour"})
    assert f"s-maxage={settings.API_CACHE_MAX_AGE}," in search["Cache-Control"]
    assert f"s-maxage={settings.EDGECACHE_SHARED_MAX_AGE}," in api.get(LIST)["Cache-Control"]


def test_keys_that_do_not_fit_in_a_header_leave_the_document_private(
    api, published, monkeypatch, caplog
):
    monkeypatch.setattr("edgecache.headers.MAX_KEYS_HEADER_LENGTH", 20)
    response = api.get(LIST)
    assert response.status_code == 200 and len(response.json()["results"]) == 1
    assert response["Cache-Control"] == "private, no-store"
    assert "xkey" not in response
    assert "cache keys do not fit" in caplog.text


def test_token_holders_sessions_and_credentials_get_private_answers(
    api, as_token, editor, published
):
    from rest_framework.test import APIClient

    url = f"{LIST}{published.pk}/"
    api.get(url)  # a public copy is stored
    session = APIClient()
    session.force_login(editor)
    for client in (as_token(editor), session):
        for _ in range(2):
            response = client.get(url)
            assert response["Cache-Control"] == "private, no-store"
            assert response["X-Origin-Cache"] == "bypass"
            assert "xkey" not in response
            assert response.json()["status"] == "published"  # a staff field
    basic = api.get(url, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert basic.status_code == 200 and basic["Cache-Control"] == "private, no-store"


def test_errors_writes_and_stamps_are_private(api, as_token, reporter, published, section):
    draft = ArticleFactory(section=section)
    for response in (
        api.get(f"{LIST}{draft.pk}/"),
        api.get(LIST, {"section": "nowhere"}),
        api.get("/api/v1/no-such-thing/"),
        api.get(f"{LIST}{published.pk}/comments/stamp/"),
        api.post(f"{LIST}{published.pk}/comments/", {}, format="json"),
        as_token(reporter).post(LIST, {"title": "A draft", "section": "city"}, format="json"),
    ):
        assert response["Cache-Control"] == "private, no-store", response.status_code
        assert "xkey" not in response


def test_conditional_requests_are_answered_from_the_stored_document(
    api, published, django_capture_on_commit_callbacks
):
    url = f"{LIST}{published.pk}/"
    first = api.get(url)
    hit = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (hit.status_code, hit["X-Origin-Cache"], hit.content) == (304, "hit", b"")
    since = api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    # Purged without a visible change: rendered again, the same ETag, stored for the next.
    with django_capture_on_commit_callbacks(execute=True):
        purge([f"comments:{published.pk}"])
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again["X-Origin-Cache"]) == (304, "miss")
    assert api.get(url)["X-Origin-Cache"] == "hit"


def test_links_come_from_site_url_whatever_host_the_request_named(
    api, as_token, editor, published, settings
):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "api.evil.example"]
    author = published.bylines.get().author
    # Names only (with their sizes, so nothing opens the files): the links are what matters.
    Author.objects.filter(pk=author.pk).update(
        photo="authors/ana.jpg", photo_width=400, photo_height=400
    )
    Article.objects.filter(pk=published.pk).update(
        hero_image="heroes/harbour.jpg",
        hero_image_width=1200,
        hero_image_height=800,
        hero_renditions={"480": "heroes/harbour-480.jpg"},
    )
    older = ArticleFactory(published=True, section=published.section, authors=[author])
    RelatedLinkFactory(article=published, target=older, position=0)
    ArticleFactory(published=True, section=published.section)
    urls = [
        f"{LIST}?page_size=1&page=2",
        f"{LIST}{published.pk}/",
        "/api/v1/",
        "/api/v1/sections/",
        f"/api/v1/authors/{author.pk}/",
        "/api/v1/guide/",
        "/api/v1/schema/",  # its own examples name example.org: only the Host is checked
    ]
    for url in urls:
        forged = api.get(url, HTTP_HOST="api.evil.example")
        assert b"evil" not in forged.content and b"testserver" not in forged.content, url
        if "schema" not in url:
            links = re.findall(rb"https?://[^\"\s<>)\]]+", forged.content)
            assert links, url
            assert all(link.startswith(SITE.encode()) for link in links), (url, links)
        # The next client of that copy, whatever Host it names, gets the same bytes.
        again = api.get(url, HTTP_HOST="api.evil.example")
        assert again["X-Origin-Cache"] == "hit" and again.content == forged.content, url
        assert api.get(url).content == forged.content, url
    page = api.get(LIST, {"page_size": 1, "page": 2}, HTTP_HOST="api.evil.example").json()
    assert page["next"] == f"{SITE}{LIST}?page=3&page_size=1"
    assert page["previous"] == f"{SITE}{LIST}?page_size=1"
    created = as_token(editor).post(
        LIST, {"title": "A draft", "section": "city"}, format="json", HTTP_HOST="api.evil.example"
    )
    assert created["Location"] == f"{SITE}{LIST}{created.json()['id']}/"


def test_a_forwarded_host_is_ignored_too(api, published, settings):
    settings.SITE_URL = SITE
    settings.USE_X_FORWARDED_HOST = True
    settings.ALLOWED_HOSTS = ["testserver", "api.evil.example"]
    forged = api.get(f"{LIST}{published.pk}/", HTTP_X_FORWARDED_HOST="api.evil.example")
    assert forged.json()["url"].startswith(f"{SITE}/")
    assert b"evil" not in forged.content


@pytest.mark.redis
def test_reads_the_origin_cache_answers_are_not_counted_by_the_anonymous_limit(
    api, published, redis_required, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "2000/min"},
    }
    # One render, then answers from the origin cache: they cost no render and are not counted.
    assert [api.get(LIST)["X-Origin-Cache"] for _ in range(6)] == ["miss"] + ["hit"] * 5
    statuses = [api.get(LIST, {"page_size": size}).status_code for size in (1, 2, 3)]
    assert statuses == [200, 200, 429]
    assert api.get(LIST).status_code == 200  # still a hit


@pytest.mark.redis
def test_a_throttled_client_does_not_keep_others_from_the_cached_document(
    api, published, redis_required, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "2000/min"},
    }
    greedy, other = {"REMOTE_ADDR": "198.51.100.7"}, {"REMOTE_ADDR": "198.51.100.8"}
    assert [api.get(LIST, {"page_size": n}, **greedy).status_code for n in (1, 2)] == [200, 200]
    refused = api.get(LIST, **greedy)
    assert refused.status_code == 429 and refused["Cache-Control"] == "private, no-store"
    # Not stored, and the URL is still looked up and stored for everyone else.
    assert api.get(LIST, **other)["X-Origin-Cache"] == "miss"
    assert api.get(LIST, **other)["X-Origin-Cache"] == "hit"
    assert api.get(LIST, **greedy).status_code == 200


def test_a_new_section_and_author_appear_in_their_lists(
    api, editor, published, django_capture_on_commit_callbacks
):
    from authors.services import author_create

    api.get("/api/v1/sections/")
    api.get("/api/v1/authors/")
    with django_capture_on_commit_callbacks(execute=True):
        SectionFactory(name="Science", slug="science")
        author_create(user=editor, name="Jo Lee")
    sections = api.get("/api/v1/sections/")
    assert "science" in [s["slug"] for s in sections.json()["results"]]
    assert "Jo Lee" in [a["name"] for a in api.get("/api/v1/authors/").json()["results"]]
