"""The origin cache through the whole middleware stack, on Redis and on the file cache."""

import time

import pytest
from django.contrib.auth.models import User

from edgecache import purge
from edgecache.store import store

pytestmark = pytest.mark.django_db


def get(client, path, **headers):
    return client.get(path, headers=headers)


def test_a_public_page_is_rendered_once_and_then_served_through_every_middleware(
    client, pages, origin_store
):
    first = get(client, "/page/a/")
    second = get(client, "/page/a/")
    assert first.status_code == second.status_code == 200
    assert pages.renders["a"] == 1
    assert (first["X-Origin-Cache"], second["X-Origin-Cache"]) == ("miss", "hit")
    assert first.content == second.content == b"<p>a: first</p>"
    # The stored page went out through the stack: the outer middleware added their headers.
    for response in (first, second):
        assert "Content-Security-Policy" in response
        assert response["X-Frame-Options"] == "DENY"
        assert response["xkey"] == "page:a common"
        assert response["Cache-Control"].startswith("public, max-age=60, s-maxage=86400")
        assert response["Vary"] == "Accept-Encoding"
    assert second["ETag"] == first["ETag"]
    assert int(second["Age"]) >= 0


def test_a_purge_renders_again_only_the_pages_showing_a_purged_key(
    client, pages, origin_store, django_capture_on_commit_callbacks
):
    get(client, "/page/a/")
    get(client, "/page/b/")
    pages.state["text"] = "edited"
    with django_capture_on_commit_callbacks(execute=True):
        purge(["page:a"])
    a, b = get(client, "/page/a/"), get(client, "/page/b/")
    assert a.content == b"<p>a: edited</p>" and a["X-Origin-Cache"] == "miss"
    assert b.content == b"<p>b: first</p>" and b["X-Origin-Cache"] == "hit"
    assert pages.renders == {"a": 2, "b": 1}

    with django_capture_on_commit_callbacks(execute=True):
        purge(["common"])
    assert get(client, "/page/b/").content == b"<p>b: edited</p>"
    assert pages.renders == {"a": 2, "b": 2}


def test_a_purge_in_a_transaction_that_rolls_back_changes_nothing(
    client, pages, django_capture_on_commit_callbacks
):
    from django.db import transaction

    get(client, "/page/a/")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        purge(["page:a"])
        transaction.set_rollback(True)
    assert get(client, "/page/a/")["X-Origin-Cache"] == "hit"


def test_the_shared_max_age_is_the_page_lifetime(client, pages, origin_store):
    pages.state["shared"] = 1
    get(client, "/page/a/")
    assert get(client, "/page/a/")["X-Origin-Cache"] == "hit"
    time.sleep(1.1)
    assert get(client, "/page/a/")["X-Origin-Cache"] == "miss"
    assert pages.renders["a"] == 2


def test_conditional_requests_get_304_from_the_stored_page(client, pages):
    first = get(client, "/page/a/")
    again = get(client, "/page/a/", if_none_match=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    since = get(client, "/page/a/", if_modified_since=first["Last-Modified"])
    assert since.status_code == 304
    assert get(client, "/page/a/", if_none_match='"other"').status_code == 200
    assert pages.renders["a"] == 1


def test_logged_in_readers_posts_and_private_pages_are_never_stored(client, pages):
    assert get(client, "/private/")["Cache-Control"] == "private, no-store"
    # Not looked up again for a while (nor locked): straight to the view.
    assert get(client, "/private/")["X-Origin-Cache"] == "pass"
    assert pages.renders["private"] == 2

    assert client.post("/page/a/")["X-Origin-Cache"] == "bypass"
    editor = User.objects.create_user("editor", password="x")
    client.force_login(editor)
    assert get(client, "/page/a/")["X-Origin-Cache"] == "bypass"
    assert get(client, "/page/a/")["X-Origin-Cache"] == "bypass"
    client.logout()
    assert get(client, "/page/a/")["X-Origin-Cache"] == "miss"
    assert get(client, "/page/a/")["X-Origin-Cache"] == "hit"
    # An API token is a login too.
    assert get(client, "/page/a/", authorization="Token abc")["X-Origin-Cache"] == "bypass"


def test_a_csrf_cookie_or_an_anonymous_session_cookie_still_gets_the_stored_page(client, pages):
    get(client, "/page/a/")
    client.cookies["csrftoken"] = "x" * 32
    client.cookies["sessionid"] = "not-a-session"
    assert get(client, "/page/a/")["X-Origin-Cache"] == "hit"


def test_a_public_page_never_sets_a_cookie_or_varies_on_one(client, pages):
    # A malformed CSRF cookie makes Django's CSRF middleware want to send a fresh one.
    client.cookies["csrftoken"] = "malformed"
    for _ in range(2):
        response = get(client, "/session/")
        assert response.status_code == 200
        assert response.cookies == {}
        assert response["Vary"] == "Accept-Encoding"
    assert pages.renders["session"] == 1


def test_a_stale_copy_is_served_when_the_render_fails(
    client, pages, origin_store, django_capture_on_commit_callbacks, caplog
):
    first = get(client, "/page/a/")
    with django_capture_on_commit_callbacks(execute=True):
        purge(["page:a"])
    pages.state["fail"] = True
    client.raise_request_exception = False
    stale = get(client, "/page/a/")
    assert stale.status_code == 200 and stale.content == first.content
    assert stale["X-Origin-Cache"] == "stale"
    # A cache in front may keep it only for a moment.
    assert "max-age=0, s-maxage=5," in stale["Cache-Control"]
    assert "serving the stored copy" in caplog.text


def test_after_a_hard_purge_the_old_copy_is_never_served_again(
    client, pages, origin_store, django_capture_on_commit_callbacks
):
    get(client, "/page/a/")
    with django_capture_on_commit_callbacks(execute=True):
        purge(["page:a"], hard=True)
    pages.state["fail"] = True
    client.raise_request_exception = False
    assert get(client, "/page/a/").status_code == 500


def test_a_copy_stale_for_longer_than_stale_if_error_is_not_served(client, pages, settings):
    settings.EDGECACHE_STALE_IF_ERROR = 1
    pages.state["shared"] = 1
    get(client, "/page/a/")
    time.sleep(2.1)
    pages.state["fail"] = True
    client.raise_request_exception = False
    assert get(client, "/page/a/").status_code == 500


def test_the_origin_cache_can_be_turned_off(client, pages, settings):
    settings.EDGECACHE_ORIGIN_CACHE = False
    get(client, "/page/a/")
    assert get(client, "/page/a/")["X-Origin-Cache"] == "bypass"
    assert pages.renders["a"] == 2


def test_a_page_whose_key_was_purged_while_it_rendered_is_stored_stale(client, pages):
    """The versions a render is stored with were read before it began (or, for keys the
    process did not know yet, a purge just before storing marks it stale)."""
    from edgecache.store import store as the_store

    original = pages.page

    def purging_view(request, name):
        response = original(request, name)
        the_store.bump(["page:a"])
        return response

    pages.urlpatterns[0].callback = purging_view
    try:
        get(client, "/page/a/")
        assert get(client, "/page/a/")["X-Origin-Cache"] == "miss"  # first render: new keys
        pages.urlpatterns[0].callback = original
        assert get(client, "/page/a/")["X-Origin-Cache"] == "miss"  # known keys, older version
        assert get(client, "/page/a/")["X-Origin-Cache"] == "hit"
    finally:
        pages.urlpatterns[0].callback = original


def test_the_store_remembers_keys_so_a_hit_is_one_round_trip(client, pages, settings):
    get(client, "/page/a/")
    calls = []
    backend = store.backend
    real = backend.get_many

    def counting(keys, *args, **kwargs):
        calls.append(list(keys))
        return real(keys, *args, **kwargs)

    backend.get_many = counting
    try:
        assert get(client, "/page/a/")["X-Origin-Cache"] == "hit"
    finally:
        del backend.get_many
    assert len(calls) == 1 and len(calls[0]) == 3  # the page and its two keys' versions


def test_on_the_file_cache_a_purge_by_another_process_is_seen(client, pages, settings, tmp_path):
    """`make run`: the worker is another process; it shares the file cache with the web one."""
    import subprocess
    import sys

    from conftest import subprocess_env

    settings.CACHES = {
        **settings.CACHES,
        "edge-file": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
            "KEY_PREFIX": "newsroom",
        },
    }
    settings.EDGECACHE_CACHE = "edge-file"
    client.get("/page/a/")
    assert client.get("/page/a/")["X-Origin-Cache"] == "hit"
    worker = (
        "import django; django.setup(); "
        "from edgecache.purgers import PurgeRequest; "
        "from edgecache.purgers.origin import OriginPurger; "
        "OriginPurger().purge(PurgeRequest(keys=('page:a',), paths=(), hard=False))"
    )
    subprocess.run(
        [sys.executable, "-c", worker],
        env=subprocess_env(
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            REDIS_URL="",
            CELERY_BROKER_URL="filesystem://",
            CACHE_DIR=str(tmp_path / "cache"),
            CACHE_KEY_PREFIX="newsroom",
        ),
        check=True,
        timeout=60,
    )
    assert client.get("/page/a/")["X-Origin-Cache"] == "miss"
