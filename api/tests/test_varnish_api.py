"""The API through a real varnishd running deploy/varnish/default.vcl, in front of gunicorn
serving the app against the test database, with a real Celery worker carrying the purges: an
anonymous read is cached and its copy kept per Origin (CORS), a token passes, an edit purges the
article's documents and leaves another article's cached, a new article is listed at once and a
withdrawn one is gone."""

import pytest
import requests
from rest_framework.authtoken.models import Token

from articles.models import Article
from articles.services.saving import article_save
from articles.services.workflow import article_publish, article_unpublish
from articles.tests.factories import ArticleFactory
from conftest import seconds_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.worker,
    pytest.mark.redis,
]

APP = "https://app.example.org"
LIST = "/api/v1/articles/"


def get(base: str, path: str, **headers) -> requests.Response:
    return requests.get(base + path, headers=headers, timeout=10)


def test_varnish_serves_anonymous_api_reads_and_purges_what_changed(varnish_stack, editor):
    varnish, _web = varnish_stack(CORS_ALLOWED_ORIGINS=APP)
    story = ArticleFactory(published=True, title="Bridge reopens after repairs")
    other = ArticleFactory(published=True, title="Council approves the budget")
    detail, other_detail = f"{LIST}{story.pk}/", f"{LIST}{other.pk}/"

    first = get(varnish.url, detail)
    assert first.status_code == 200 and first.headers["X-Cache"] == "MISS"
    again = get(varnish.url, detail)
    assert again.headers["X-Cache"] == "HIT" and again.content == first.content
    assert again.headers["Cache-Control"].startswith("public, max-age=60, s-maxage=")
    assert "Set-Cookie" not in again.headers and "xkey" not in again.headers
    assert "Access-Control-Allow-Origin" not in again.headers

    # A browser app on an allowed site gets its own copy, with the CORS headers naming it.
    for expected in ("MISS", "HIT"):
        cors = get(varnish.url, detail, Origin=APP)
        assert cors.headers["X-Cache"] == expected
        assert cors.headers["Access-Control-Allow-Origin"] == APP
        assert cors.content == first.content
    assert "Access-Control-Allow-Origin" not in get(varnish.url, detail).headers

    # A token always reaches the origin and gets a private answer.
    token = Token.objects.create(user=editor)
    staff = get(varnish.url, detail, Authorization=f"Token {token.key}")
    assert staff.headers["X-Cache"] == "PASS" and staff.json()["status"] == "published"
    assert staff.headers["Cache-Control"] == "private, no-store"

    for path in (LIST, other_detail):
        get(varnish.url, path)
        assert get(varnish.url, path).headers["X-Cache"] == "HIT"

    # An edit through the service: its documents change, another article's stays cached.
    article_save(
        user=editor, article=Article.objects.get(pk=story.pk), data={"title": "Bridge reopens"}
    )
    seconds_until(lambda: get(varnish.url, detail).json()["title"] == "Bridge reopens")
    seconds_until(
        lambda: "Bridge reopens" in [a["title"] for a in get(varnish.url, LIST).json()["results"]]
    )
    unrelated = get(varnish.url, other_detail)
    assert unrelated.headers["X-Cache"] == "HIT"

    # A new article is listed at once; a withdrawn one is gone at once.
    fresh = ArticleFactory(in_review=True, title="Harbour festival returns")
    article_publish(user=editor, article=fresh)
    seconds_until(lambda: get(varnish.url, LIST).json()["results"][0]["title"] == fresh.title)
    article_unpublish(user=editor, article=Article.objects.get(pk=story.pk))
    seconds_until(lambda: get(varnish.url, detail).status_code == 404)
    titles = [a["title"] for a in get(varnish.url, LIST).json()["results"]]
    assert "Bridge reopens" not in titles
