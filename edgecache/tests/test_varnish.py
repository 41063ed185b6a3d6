"""Through a real varnishd running deploy/varnish/default.vcl, in front of gunicorn serving the
app against the test database, with a real Celery worker running the purges: a page is
cached, a purge reaches Varnish within a second and touches nothing else, and with gunicorn
stopped the cached pages are still served."""

import time

import pytest
import requests
from django.core.cache import cache
from django.db import transaction

from conftest import seconds_until
from edgecache import purge

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.worker,
    pytest.mark.redis,
]


@pytest.fixture
def stack(varnish_stack):
    """gunicorn serving the test views at the root, a worker and Varnish."""
    return varnish_stack("edgecache.tests.wsgi_app")


def get(base: str, path: str) -> requests.Response:
    return requests.get(base + path, timeout=10)


def edit(name: str, text: str) -> None:
    """Change what a page shows and purge its key in the same transaction, as a service does."""
    with transaction.atomic():
        cache.set(f"edgecache-test:{name}", text, timeout=600)
        purge([f"page:{name}"])


def test_varnish_caches_and_the_worker_purges_only_what_changed(stack):
    varnish, web = stack
    first = get(varnish.url, "/shared/a/")
    assert first.status_code == 200 and first.headers["X-Cache"] == "MISS"
    again = get(varnish.url, "/shared/a/")
    assert again.headers["X-Cache"] == "HIT" and again.text == "<p>a: first</p>"
    assert "xkey" not in again.headers  # the keys stay inside
    assert get(varnish.url, "/shared/b/").headers["X-Cache"] == "MISS"

    edit("a", "edited")
    took = seconds_until(lambda: get(varnish.url, "/shared/a/").text == "<p>a: edited</p>")
    assert took < 1.0
    unrelated = get(varnish.url, "/shared/b/")
    assert unrelated.headers["X-Cache"] == "HIT" and unrelated.text == "<p>b: first</p>"

    # With the origin gone, cached pages are still served, and so is a purged one (stale).
    web.stop()
    edit("b", "edited while the origin is down")
    time.sleep(1.0)
    for path, text in (("/shared/a/", "<p>a: edited</p>"), ("/shared/b/", "<p>b: first</p>")):
        response = get(varnish.url, path)
        assert response.status_code == 200 and response.text == text


def test_purges_are_refused_from_hosts_outside_the_acl(stack):
    varnish, _ = stack
    get(varnish.url, "/shared/a/")
    # The test's ACL allows 127.0.0.1 only; ask through another local address.
    import socket

    with socket.create_connection(
        ("127.0.0.1", varnish.port), source_address=("127.0.0.2", 0)
    ) as conn:
        conn.sendall(
            b"PURGE / HTTP/1.1\r\nHost: x\r\nxkey-purge: page:a\r\nConnection: close\r\n\r\n"
        )
        answer = conn.recv(200)
    assert answer.startswith(b"HTTP/1.1 403")
    assert get(varnish.url, "/shared/a/").headers["X-Cache"] == "HIT"


def test_cookies_posts_and_logged_in_readers(stack):
    varnish, _ = stack
    get(varnish.url, "/shared/a/")
    with_cookie = requests.get(
        varnish.url + "/shared/a/", cookies={"csrftoken": "x" * 32, "reader": "1"}, timeout=10
    )
    assert with_cookie.headers["X-Cache"] == "HIT" and "Set-Cookie" not in with_cookie.headers
    logged_in = requests.get(varnish.url + "/shared/a/", cookies={"sessionid": "abc"}, timeout=10)
    assert logged_in.headers["X-Cache"] == "PASS" or logged_in.headers["X-Cache"] == "MISS"
    assert requests.post(varnish.url + "/shared/a/", timeout=10).headers["X-Cache"] != "HIT"
    tracked = get(varnish.url, "/shared/a/?utm_source=newsletter&utm_medium=email")
    assert tracked.headers["X-Cache"] == "HIT"
