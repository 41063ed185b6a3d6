"""HTTP behaviour: conditional GETs, caching headers, throttling, CORS, error shapes."""

import time

import pytest
from django.utils.http import http_date, parse_http_date

from articles.tests.factories import ArticleFactory
from comments.models import Comment

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def test_detail_answers_304_to_its_own_etag(api, published):
    first = api.get(f"{LIST}{published.pk}/")
    etag = first["ETag"]

    again = api.get(f"{LIST}{published.pk}/", HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""


def test_etag_changes_when_the_article_changes(
    api, editor, published, django_capture_on_commit_callbacks
):
    from articles.services.editing import article_update

    etag = api.get(f"{LIST}{published.pk}/")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        article_update(
            user=editor, article=published, data={"title": "Changed"}, expected_version=None
        )
    response = api.get(f"{LIST}{published.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["title"] == "Changed"


def test_etag_changes_when_a_comment_is_approved(
    api, published, moderator, django_capture_on_commit_callbacks
):
    from comments.services import comment_moderate

    comment = Comment.objects.create(
        article=published,
        author_name="Sam",
        author_email="sam@example.org",
        body="Good",
        status=Comment.Status.PENDING,
        content_hash="x",
    )
    etag = api.get(f"{LIST}{published.pk}/")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(actor=moderator, comment=comment, action="approve")
    response = api.get(f"{LIST}{published.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["comment_count"] == 1


def test_list_answers_304_and_last_modified(api, published):
    first = api.get(LIST)
    assert first["Last-Modified"]
    assert api.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    since = first["Last-Modified"]
    assert api.get(LIST, HTTP_IF_MODIFIED_SINCE=since).status_code == 304


def test_if_modified_since_sees_an_article_leaving_the_list(
    api, section, editor, django_capture_on_commit_callbacks
):
    from articles.services.workflow import article_unpublish

    gone = ArticleFactory(published=True, section=section)
    ArticleFactory(published=True, section=section)
    first = api.get(LIST)
    time.sleep(1.1)  # HTTP dates have whole seconds
    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(user=editor, article=gone)
    response = api.get(LIST, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response["Last-Modified"] != first["Last-Modified"]


def test_last_modified_is_an_http_date(api, as_token, editor, published):
    # For staff: the newest change to what the article shows.
    response = as_token(editor).get(f"{LIST}{published.pk}/")
    assert response["Last-Modified"] == http_date(published.modified_at.timestamp())
    # For everyone else: when the public document was rendered, which every change to what
    # it shows is followed by (the change purges it).
    before = time.time()
    public = api.get(f"{LIST}{published.pk}/")
    rendered = parse_http_date(public["Last-Modified"])
    assert int(before) <= rendered <= time.time()
    assert api.get(f"{LIST}{published.pk}/")["Last-Modified"] == public["Last-Modified"]


def test_anonymous_reads_are_public_documents(api, published, settings):
    response = api.get(f"{LIST}{published.pk}/")
    assert response["Cache-Control"] == (
        f"public, max-age={settings.API_CACHE_MAX_AGE}, "
        f"s-maxage={settings.EDGECACHE_SHARED_MAX_AGE}, "
        f"stale-while-revalidate={settings.EDGECACHE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.EDGECACHE_STALE_IF_ERROR}"
    )
    assert response["Vary"] == "Accept-Encoding"


def test_staff_reads_are_private(as_token, editor, published):
    response = as_token(editor).get(f"{LIST}{published.pk}/")
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert response["ETag"].startswith(f'"v{published.version}-')


def test_staff_and_anonymous_etags_differ(api, as_token, editor, published):
    assert (
        api.get(f"{LIST}{published.pk}/")["ETag"]
        != as_token(editor).get(f"{LIST}{published.pk}/")["ETag"]
    )


def test_not_found_has_the_error_shape(api):
    response = api.get(f"{LIST}99999999999999999999999/")
    assert response.status_code == 404
    response = api.get(f"{LIST}123456/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_malformed_json_is_400(as_token, reporter):
    response = as_token(reporter).post(LIST, "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {}
    assert "JSON" in response.json()["detail"]


def test_bad_token_is_401_with_challenge(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get(LIST)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "Invalid token."


@pytest.mark.redis
def test_anonymous_reads_are_throttled_with_retry_after(api, redis_required, settings):
    """The anonymous limit counts the reads that reach the API's views: each of these asks for
    a page no cache holds (tests/test_public_cache.py: what a cache answers is not counted)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "2000/min"},
    }
    statuses = [api.get(LIST, {"page_size": size}).status_code for size in range(1, 5)]
    assert statuses == [200, 200, 200, 429]
    response = api.get(LIST, {"page_size": 9})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Try again in" in response.json()["detail"]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.redis
def test_behind_a_proxy_anonymous_reads_are_throttled_per_reader(api, redis_required, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "2000/min"},
    }

    def read(reader: str, size: int) -> int:
        return api.get(
            LIST, {"page_size": size}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=reader
        ).status_code

    assert [read("198.51.100.2", size) for size in (1, 2, 3)] == [200, 200, 429]
    assert read("198.51.100.3", 4) == 200  # another reader behind the same proxy


@pytest.mark.redis
def test_users_are_throttled_per_user(as_token, editor, reporter, redis_required, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "2/min"},
    }
    client = as_token(editor)
    assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 429]
    assert as_token(reporter).get(LIST).status_code == 200


def test_cors_allows_listed_origins_only(api, published, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.org"]
    allowed = api.get(LIST, HTTP_ORIGIN="https://app.example.org")
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.org"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    other = api.get(LIST, HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    preflight = api.options(
        LIST,
        HTTP_ORIGIN="https://app.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, if-match",
    )
    assert preflight.status_code == 200
    assert "if-match" in preflight["Access-Control-Allow-Headers"]


def test_no_cors_by_default(api, published, settings):
    assert settings.CORS_ALLOWED_ORIGINS == []
    response = api.get(LIST, HTTP_ORIGIN="https://app.example.org")
    assert "Access-Control-Allow-Origin" not in response


def test_session_writes_need_csrf(editor, draft):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(f"{LIST}{draft.pk}/publish/")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_anonymous_reads_are_served_from_the_cache_until_something_changes(
    api, section, editor, published, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from articles.services.workflow import article_publish

    first = api.get(LIST)
    detail = api.get(f"{LIST}{published.pk}/")
    with django_assert_num_queries(0):
        assert api.get(LIST).content == first.content
        assert api.get(f"{LIST}{published.pk}/").content == detail.content
    draft = ArticleFactory(section=section, title="Breaking: harbour reopens")
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(user=editor, article=draft)
    titles = [a["title"] for a in api.get(LIST).json()["results"]]
    assert titles[0] == "Breaking: harbour reopens"


def test_staff_reads_are_never_served_from_the_anonymous_cache(api, as_token, editor, published):
    api.get(f"{LIST}{published.pk}/")
    assert "status" in as_token(editor).get(f"{LIST}{published.pk}/").json()
