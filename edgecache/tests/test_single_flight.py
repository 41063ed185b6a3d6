"""Fifty readers asking at once for a page that is not stored, or was just purged, cause one
render: threads of one process wait for it (or take the stale copy), other processes too."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.core.cache import cache

from conftest import free_port
from edgecache import purge
from edgecache.store import store

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

READERS = 50


def fifty_at_once(url: str) -> list[requests.Response]:
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        return list(pool.map(lambda _: requests.get(url, timeout=30), range(READERS)))


def test_fifty_readers_of_a_page_not_stored_cause_one_render(live_server, pages):
    pages.state["delay"] = 0.5
    responses = fifty_at_once(f"{live_server.url}/page/hot/")
    assert [r.status_code for r in responses] == [200] * READERS
    assert {r.text for r in responses} == {"<p>hot: first</p>"}
    assert pages.renders["hot"] == 1
    assert sorted(r.headers["X-Origin-Cache"] for r in responses).count("miss") == 1


def test_fifty_readers_of_a_just_purged_page_cause_one_render(live_server, pages):
    requests.get(f"{live_server.url}/page/hot/", timeout=10)
    pages.state.update(delay=0.5, text="edited")
    purge(["page:hot"])  # committed at once (no transaction around it)
    responses = fifty_at_once(f"{live_server.url}/page/hot/")
    assert [r.status_code for r in responses] == [200] * READERS
    assert pages.renders["hot"] == 2
    # Those who came during the render got the stale copy, the rest the new one.
    assert {r.text for r in responses} <= {"<p>hot: first</p>", "<p>hot: edited</p>"}
    assert requests.get(f"{live_server.url}/page/hot/", timeout=10).text == "<p>hot: edited</p>"


def test_a_surrogate_waits_for_the_render_instead_of_taking_the_stale_copy(live_server, pages):
    requests.get(f"{live_server.url}/page/hot/", timeout=10)
    pages.state.update(delay=0.3, text="edited")
    purge(["page:hot"])
    headers = {"Surrogate-Capability": 'varnish="ESI/1.0"'}
    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(
            pool.map(
                lambda _: requests.get(f"{live_server.url}/page/hot/", headers=headers, timeout=30),
                range(10),
            )
        )
    assert {r.text for r in responses} == {"<p>hot: edited</p>"}
    assert pages.renders["hot"] == 2


@pytest.mark.redis
def test_processes_collapse_their_renders_too(redis_required, test_site_server):
    """gunicorn with two worker processes of 30 threads each: one render for fifty readers of
    a just-purged page, counted in Redis by the view itself."""
    port = free_port()
    test_site_server(port, "--workers", "2", "--threads", "30", "--worker-class", "gthread")
    url = f"http://127.0.0.1:{port}/counted/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # both workers up, the page stored
        try:
            if requests.get(url, timeout=30).headers["X-Origin-Cache"] == "hit":
                break
        except requests.ConnectionError:
            time.sleep(0.1)
    cache.set("edgecache-test-renders", 0, timeout=600)
    cache.set("edgecache-test-text", "edited", timeout=600)
    store.bump(["counted"])
    responses = fifty_at_once(url)
    assert [r.status_code for r in responses] == [200] * READERS
    states = sorted(r.headers["X-Origin-Cache"] for r in responses)
    assert cache.get("edgecache-test-renders") == 1, states
    assert requests.get(url, timeout=5).text == "<p>edited</p>"
