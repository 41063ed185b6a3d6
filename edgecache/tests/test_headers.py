import pytest
from django.http import HttpResponse

from edgecache import cache_private, cache_public


def test_public_headers_for_every_kind_of_shared_cache(settings):
    settings.EDGECACHE_SURROGATE_KEY_HEADER = True
    settings.EDGECACHE_CACHE_TAG_HEADER = True
    response = HttpResponse("<p>x</p>")
    response["Vary"] = "Cookie"
    response.set_cookie("csrftoken", "x")
    cache_public(response, keys=["article:1", "author:7", "home"], browser_max_age=30)
    assert response["Cache-Control"] == (
        "public, max-age=30, s-maxage=86400, stale-while-revalidate=60, stale-if-error=86400"
    )
    assert response["xkey"] == "article:1 author:7 home"
    assert response["Surrogate-Key"] == "article:1 author:7 home"
    assert response["Cache-Tag"] == "article:1,author:7,home"
    assert response["Vary"] == "Accept-Encoding"
    assert response.cookies == {}
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")


def test_cdn_key_headers_only_when_enabled(settings):
    settings.EDGECACHE_SURROGATE_KEY_HEADER = False
    settings.EDGECACHE_CACHE_TAG_HEADER = False
    response = cache_public(HttpResponse("x"), keys=["home"], shared_max_age=10)
    assert "Surrogate-Key" not in response and "Cache-Tag" not in response
    # The browser never keeps it longer than shared caches do.
    assert response["Cache-Control"].startswith("public, max-age=10, s-maxage=10,")


def test_a_view_keeps_its_own_validators():
    response = HttpResponse("x")
    response["ETag"] = '"mine"'
    response["Last-Modified"] = "Sat, 05 Dec 2026 08:00:00 GMT"
    cache_public(response, keys=["home"])
    assert response["ETag"] == '"mine"'
    assert response["Last-Modified"] == "Sat, 05 Dec 2026 08:00:00 GMT"


@pytest.mark.parametrize("keys", [["Home"], ["a b"], ["ä"], ["x" * 101], ["a,b"], "home"])
def test_keys_are_short_lowercase_ascii(keys):
    with pytest.raises((ValueError, TypeError)):
        cache_public(HttpResponse("x"), keys=keys)


def test_private_removes_what_made_it_public():
    response = cache_private(cache_public(HttpResponse("x"), keys=["home"]))
    assert response["Cache-Control"] == "private, no-store"
    assert "xkey" not in response
    assert response.edgecache_public is None


def test_the_system_check_wants_both_middleware_in_their_places(settings):
    from edgecache.checks import ORIGIN, PUBLIC, check_middleware

    assert check_middleware() == []
    stack = list(settings.MIDDLEWARE)
    settings.MIDDLEWARE = [m for m in stack if m != ORIGIN] + [ORIGIN, "x.Middleware"]
    assert [e.id for e in check_middleware()] == ["edgecache.E002"]
    moved = [m for m in stack if m != PUBLIC]
    moved.insert(moved.index(ORIGIN), PUBLIC)
    settings.MIDDLEWARE = moved
    assert [e.id for e in check_middleware()] == ["edgecache.E003"]
    settings.MIDDLEWARE = [m for m in stack if m != PUBLIC]
    assert [e.id for e in check_middleware()] == ["edgecache.E001"]
