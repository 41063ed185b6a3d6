"""Blocks every page shows are fragments: assembled by a surrogate that declares ESI, by the
origin for anyone else, and never produced by text a reader or journalist writes."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from edgecache import purge

pytestmark = pytest.mark.django_db

ESI = {"surrogate_capability": 'varnish="ESI/1.0"'}


def test_the_origin_assembles_fragments_for_clients_without_esi(client, pages, origin_store):
    response = client.get("/assembled/")
    assert response.content == (
        b"<main>story</main><aside><ul>latest v1</ul></aside><footer><ul>date v1</ul></footer>"
    )
    assert "Surrogate-Control" not in response
    # Its lifetime is its shortest-lived part's; its keys are the page's own.
    assert "max-age=30, s-maxage=30," in response["Cache-Control"]
    assert response["xkey"] == "article:1"
    assert response["ETag"] and response["Last-Modified"]
    again = client.get("/assembled/")
    assert again.content == response.content
    assert pages.renders == {"with_fragments": 1, "frag:latest": 1, "frag:date": 1}
    assert client.get("/assembled/", headers={"if-none-match": again["ETag"]}).status_code == 304


def test_a_purged_fragment_changes_every_page_without_rendering_the_pages(
    client, pages, django_capture_on_commit_callbacks
):
    client.get("/assembled/")
    pages.state["frag:latest"] = "latest v2"
    with django_capture_on_commit_callbacks(execute=True):
        purge(["latest"])
    response = client.get("/assembled/")
    assert b"<aside><ul>latest v2</ul></aside>" in response.content
    assert pages.renders == {"with_fragments": 1, "frag:latest": 2, "frag:date": 1}


def test_a_surrogate_that_declares_esi_gets_the_includes_to_assemble(client, pages):
    response = client.get("/assembled/", headers=ESI)
    assert response.content == (
        b'<main>story</main><aside><esi:include src="/frag/latest/"/></aside>'
        b'<footer><esi:include src="/frag/date/"/></footer>'
    )
    assert response["Surrogate-Control"] == 'content="ESI/1.0"'
    assert response["Cache-Control"].startswith("public, max-age=60, s-maxage=86400")
    # The same stored page serves both.
    assert b"latest v1" in client.get("/assembled/").content
    assert pages.renders["with_fragments"] == 1


def test_a_private_fragment_makes_the_assembled_page_private(client, pages):
    pages.state["frag:latest:private"] = True
    response = client.get("/assembled/")
    assert response["Cache-Control"] == "private, no-store"
    assert "xkey" not in response


def test_include_like_text_in_content_is_shown_as_text_and_never_assembled(client, pages):
    pages.state["body"] = '<esi:include src="/frag/latest/"/>{% esi "/frag/date/" %}<!--esi x-->'
    response = client.get("/assembled/")
    body = response.content.decode()
    assert body.startswith(
        "<main>&lt;esi:include src=&quot;/frag/latest/&quot;/&gt;"
        "{% esi &quot;/frag/date/&quot; %}&lt;!--esi x--&gt;</main>"
    )
    assert body.count("latest v1") == 1 and body.count("date v1") == 1
    via_varnish = client.get("/assembled/", headers=ESI).content.decode()
    assert via_varnish.count("<esi:include") == 2


def test_the_tag_refuses_anything_but_a_path_on_this_site():
    request = RequestFactory().get("/")
    bad_paths = ("https://evil.example/", "//evil.example/x", '/x" onload="y', "x/", "/a?b&c")
    for bad in bad_paths:
        with pytest.raises(ValueError):
            Template("{% load edgecache %}{% esi path %}").render(
                Context({"request": request, "path": bad})
            )
    html = Template("{% load edgecache %}{% esi '/a/?b=1' %}").render(Context({"request": request}))
    assert html == '<esi:include src="/a/?b=1"/>'
    assert request.edgecache_includes == ["/a/?b=1"]


def test_a_stored_page_and_its_fragments_come_back_in_one_round_trip(client, pages):
    from edgecache.store import store

    client.get("/assembled/")
    client.get("/assembled/")
    calls = []
    backend = store.backend
    real = backend.get_many

    def counting(keys, *args, **kwargs):
        calls.append(list(keys))
        return real(keys, *args, **kwargs)

    backend.get_many = counting
    try:
        response = client.get("/assembled/")
    finally:
        del backend.get_many
    assert b"latest v1" in response.content and response["X-Origin-Cache"] == "hit"
    # The page, its two fragments and the versions of their three keys.
    assert len(calls) == 1 and len(calls[0]) == 6
