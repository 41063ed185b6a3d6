"""The reader site through a real varnishd running deploy/varnish/default.vcl, in front of
gunicorn serving the site against the test database, with a real Celery worker carrying the
purges through the outbox: an article page is cached, an edit purges it within a second and
leaves another article's page cached, a new article is on the home page at once, and with
gunicorn stopped the cached pages are still served. Varnish compresses the pages it assembles,
the site those it serves directly."""

import gzip

import brotli
import pytest
import requests

from articles.models import Article
from articles.services.saving import article_save
from articles.services.workflow import article_publish
from articles.tests.factories import ArticleFactory
from conftest import seconds_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.worker,
    pytest.mark.redis,
]


def get(base: str, path: str) -> requests.Response:
    return requests.get(base + path, timeout=10)


def test_varnish_serves_the_site_and_edits_purge_only_what_they_touch(varnish_stack, editor):
    varnish, web = varnish_stack()
    story = ArticleFactory(published=True, title="Bridge reopens after repairs")
    other = ArticleFactory(published=True, title="Council approves the budget")
    path, other_path = story.get_absolute_url(), other.get_absolute_url()

    first = get(varnish.url, path)
    assert first.status_code == 200 and first.headers["X-Cache"] == "MISS"
    assert "Bridge reopens after repairs" in first.text
    again = get(varnish.url, path)
    assert again.headers["X-Cache"] == "HIT" and again.content == first.content
    assert "Set-Cookie" not in again.headers and "xkey" not in again.headers
    assert get(varnish.url, other_path).status_code == 200
    assert get(varnish.url, other_path).headers["X-Cache"] == "HIT"
    assert get(varnish.url, "/").headers["X-Cache"] in {"MISS", "HIT"}

    # An edit through the service: its page is new within a second, the other page stays cached.
    article_save(
        user=editor,
        article=Article.objects.get(pk=story.pk),
        data={"title": "Bridge reopens a week early"},
    )
    took = seconds_until(lambda: "Bridge reopens a week early" in get(varnish.url, path).text)
    assert took < 1.0
    unrelated = get(varnish.url, other_path)
    assert unrelated.headers["X-Cache"] == "HIT" and "Council approves the budget" in unrelated.text

    # The lists showing it follow: the first reader after a purge may get the stale copy while
    # Varnish refetches it (stale-while-revalidate), the next one the new page.
    assert seconds_until(lambda: "Bridge reopens a week early" in get(varnish.url, "/").text) < 1.0

    # A new article is on the home page at once.
    fresh = ArticleFactory(in_review=True, title="Harbour festival returns")
    article_publish(user=editor, article=fresh)
    took = seconds_until(lambda: "Harbour festival returns" in get(varnish.url, "/").text)
    assert took < 1.0

    # With gunicorn stopped, the cached pages are still served.
    web.stop()
    for page, text in ((path, "Bridge reopens a week early"), (other_path, "Council approves")):
        response = get(varnish.url, page)
        assert response.status_code == 200 and text in response.text


def test_varnish_compresses_the_pages_it_assembles_and_the_site_those_it_serves_directly(
    varnish_stack,
):
    varnish, _web = varnish_stack()
    story = ArticleFactory(
        published=True, title="Ferries return", body="<p>The ferries are back.</p>" * 40
    )
    path = story.get_absolute_url()

    # Varnish gets the page with its includes uncompressed, assembles it and compresses it.
    zipped = requests.get(
        varnish.url + path, headers={"Accept-Encoding": "gzip"}, timeout=10, stream=True
    )
    assert zipped.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(zipped.raw.read(decode_content=False)).decode()
    assert "Ferries return" in html and 'class="topbar__date"' in html
    assert "<esi:include" not in html
    plain = requests.get(varnish.url + path, headers={"Accept-Encoding": "identity"}, timeout=10)
    assert "Content-Encoding" not in plain.headers and plain.text == html

    # A client reaching the site itself gets Brotli, assembled by the origin.
    direct = requests.get(
        f"http://127.0.0.1:{varnish.backend_port}{path}",
        headers={"Accept-Encoding": "br"},
        timeout=10,
        stream=True,
    )
    assert direct.headers["Content-Encoding"] == "br"
    assert direct.headers["Vary"] == "Accept-Encoding"
    assert direct.headers["ETag"].endswith('-br"')
    page = brotli.decompress(direct.raw.read(decode_content=False)).decode()
    assert "Ferries return" in page and "<esi:include" not in page
