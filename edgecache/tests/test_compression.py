"""Compressed responses (edgecache.compression): Brotli or gzip as the client weighs them,
after the origin cache assembled the page, one uncompressed copy stored, strong ETags that
still answer conditional requests, and nothing compressed for a surrogate that assembles
includes itself."""

import gzip

import brotli
import pytest
from django.test import Client

from edgecache.compression import accepted_coding, encoded_etag, plain_etags
from edgecache.store import store

pytestmark = pytest.mark.django_db

LONG = "The harbour authority said the ferries would return to the old quay. " * 20


def decoded(response) -> bytes:
    coding = response.get("Content-Encoding")
    if coding == "br":
        return brotli.decompress(response.content)
    if coding == "gzip":
        return gzip.decompress(response.content)
    assert coding is None, coding
    return response.content


@pytest.mark.parametrize(
    ("header", "coding"),
    [
        ("gzip, deflate, br", "br"),
        ("br;q=0.5, gzip", "gzip"),
        ("gzip;q=1.0, br;q=0", "gzip"),
        ("GZIP", "gzip"),
        ("deflate", None),
        ("identity", None),
        ("", None),
        ("*", "br"),
        ("*;q=0.2, br;q=0", "gzip"),
        ("gzip;q=0, br;q=0", None),
        ("gzip;q=abc", None),
    ],
)
def test_the_coding_follows_the_client_s_weights(header, coding):
    assert accepted_coding(header) == coding


def test_coded_etags_stay_strong_and_come_back_plain():
    assert encoded_etag('"abc"', "br") == '"abc-br"'
    assert encoded_etag('W/"abc"', "gzip") == 'W/"abc-gzip"'
    assert plain_etags('"abc-br", W/"def-gzip", "ghi"') == '"abc", W/"def", "ghi"'
    assert plain_etags("*") == "*"


@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_a_page_is_compressed_as_accepted_with_an_etag_of_its_own(pages, coding):
    pages.state["text"] = LONG
    plain = Client().get("/page/a/")
    response = Client().get("/page/a/", HTTP_ACCEPT_ENCODING=f"{coding}, deflate")

    assert response["Content-Encoding"] == coding
    assert decoded(response) == plain.content
    assert int(response["Content-Length"]) == len(response.content) < len(plain.content) / 3
    assert response["Vary"] == "Accept-Encoding"
    assert plain.get("Content-Encoding") is None and plain["Vary"] == "Accept-Encoding"
    assert response["ETag"] == encoded_etag(plain["ETag"], coding)
    assert not response["ETag"].startswith("W/")


def test_the_origin_cache_stores_one_uncompressed_copy(pages):
    pages.state["text"] = LONG
    first = Client().get("/page/a/", HTTP_ACCEPT_ENCODING="br")
    second = Client().get("/page/a/", HTTP_ACCEPT_ENCODING="gzip")
    third = Client().get("/page/a/")

    assert [r["X-Origin-Cache"] for r in (first, second, third)] == ["miss", "hit", "hit"]
    assert pages.renders["a"] == 1
    stored = store.lookup(["http://testserver/page/a/"])["http://testserver/page/a/"].entry
    assert stored.body == third.content == decoded(first) == decoded(second)
    assert not any(name.lower() == "content-encoding" for name, _ in stored.headers)


@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_conditional_requests_match_the_compressed_representation(pages, coding):
    pages.state.update(text=LONG, shared=0)  # rendered for every request
    first = Client().get("/page/a/", HTTP_ACCEPT_ENCODING=coding)
    etag = first["ETag"]

    again = Client().get("/page/a/", HTTP_ACCEPT_ENCODING=coding, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    plain = Client().get("/page/a/")
    assert Client().get("/page/a/", HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304
    pages.state["text"] = LONG + "Updated."
    changed = Client().get("/page/a/", HTTP_ACCEPT_ENCODING=coding, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and b"Updated." in decoded(changed)
    assert changed["ETag"] != etag


def test_the_page_is_assembled_before_it_is_compressed(pages):
    pages.state["body"] = LONG
    response = Client().get("/assembled/", HTTP_ACCEPT_ENCODING="gzip")
    html = decoded(response).decode()
    assert response["Content-Encoding"] == "gzip"
    assert "<ul>latest v1</ul>" in html and "<esi:include" not in html


def test_a_surrogate_that_assembles_includes_gets_them_uncompressed(pages):
    pages.state["body"] = LONG
    response = Client().get(
        "/assembled/", HTTP_ACCEPT_ENCODING="gzip", HTTP_SURROGATE_CAPABILITY='v="ESI/1.0"'
    )
    assert response.get("Content-Encoding") is None
    assert response["Surrogate-Control"] == 'content="ESI/1.0"'
    assert '<esi:include src="/frag/latest/"/>' in response.content.decode()


def test_small_private_and_non_text_responses(pages, settings):
    short = Client().get("/page/a/", HTTP_ACCEPT_ENCODING="br")
    assert short.get("Content-Encoding") is None  # a few bytes: not worth it
    private = Client().get("/private/", HTTP_ACCEPT_ENCODING="br")
    assert private.get("Content-Encoding") is None and "Accept-Encoding" in private["Vary"]
    robots = Client().get("/robots.txt", HTTP_ACCEPT_ENCODING="br")
    assert "Accept-Encoding" in robots["Vary"]
    settings.COMPRESS_RESPONSES = False
    pages.state["text"] = LONG
    assert Client().get("/page/c/", HTTP_ACCEPT_ENCODING="br").get("Content-Encoding") is None
