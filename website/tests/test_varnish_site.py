"""The reader site through a real varnishd running deploy/varnish/default.vcl, in front of
gunicorn serving the site against the test database, with a real Celery worker carrying the
purges through the outbox: an article page is cached, an edit purges it within a second and
leaves another article's page cached, a new article is on the home page at once, and with
gunicorn stopped the cached pages are still served."""

import sys
import time

import pytest
import requests

from articles.models import Article
from articles.services.saving import article_save
from articles.services.workflow import article_publish
from articles.tests.factories import ArticleFactory
from conftest import ManagedProcess, subprocess_env
from edgecache.testing import Varnish, free_port, varnishd_available

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.worker,
    pytest.mark.redis,
]


@pytest.fixture
def site_through_varnish(redis_required, start_worker, empty_queues, tmp_path):
    if not varnishd_available():
        pytest.skip("varnishd is not installed (apt-get install varnish varnish-modules)")
    port = free_port()
    varnish = Varnish(port, probe_interval="0.5s")
    purging = {"EDGECACHE_PURGERS": "origin,varnish", "EDGECACHE_VARNISH_URLS": varnish.url}
    web = ManagedProcess(
        [
            sys.executable, "-m", "gunicorn", "newsroom.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", "2",
        ],
        subprocess_env(
            DEBUG="0",
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="false",
            STATIC_ROOT=str(tmp_path),
            STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
            **purging,
        ),
        ready_text="Booting worker",
    )  # fmt: skip
    try:
        web.wait_ready()
        start_worker(**purging)
        varnish.start()
        wait_for(lambda: get(varnish.url, "/robots.txt").status_code == 200)
        yield varnish, web
    finally:
        varnish.stop()
        web.stop()


def get(base: str, path: str) -> requests.Response:
    return requests.get(base + path, timeout=10)


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.02) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(interval)
    pytest.fail(f"not within {timeout}s")


def test_varnish_serves_the_site_and_edits_purge_only_what_they_touch(site_through_varnish, editor):
    varnish, web = site_through_varnish
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
    took = wait_for(lambda: "Bridge reopens a week early" in get(varnish.url, path).text)
    assert took < 1.0
    unrelated = get(varnish.url, other_path)
    assert unrelated.headers["X-Cache"] == "HIT" and "Council approves the budget" in unrelated.text

    # The lists showing it follow: the first reader after a purge may get the stale copy while
    # Varnish refetches it (stale-while-revalidate), the next one the new page.
    assert wait_for(lambda: "Bridge reopens a week early" in get(varnish.url, "/").text) < 1.0

    # A new article is on the home page at once.
    fresh = ArticleFactory(in_review=True, title="Harbour festival returns")
    article_publish(user=editor, article=fresh)
    took = wait_for(lambda: "Harbour festival returns" in get(varnish.url, "/").text)
    assert took < 1.0

    # With gunicorn stopped, the cached pages are still served.
    web.stop()
    for page, text in ((path, "Bridge reopens a week early"), (other_path, "Council approves")):
        response = get(varnish.url, page)
        assert response.status_code == 200 and text in response.text
