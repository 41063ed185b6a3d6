"""PageCacheMiddleware: current page-cache hits answered before the rest of the middleware
stack, indistinguishable from the response the full stack gives (articles/pagecache.py)."""

import re

import pytest
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _check_token_format,
    _unmask_cipher_token,
)
from django.test import Client

from articles import pagecache
from articles.tests.factories import BylineFactory, SectionFactory
from articles.tests.site_helpers import published
from authors.tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# What belongs to one response only; everything else must be the same on a hit.
OWN = {"Content-Length", "ETag", "Last-Modified", "Date"}


@pytest.fixture
def story():
    article = published(section=SectionFactory(slug="world"), title="Harbour reopens")
    BylineFactory(article=article, author=AuthorFactory(name="Ada Reyes"))
    return article


def early(response) -> bool:
    """Answered by the middleware: AuthenticationMiddleware, further in, never ran."""
    return not hasattr(response.wsgi_request, "user")


@pytest.mark.parametrize("which", ["article", "home"])
def test_a_hit_is_answered_early_with_the_same_page_and_headers(client, story, which):
    url = story.get_absolute_url() if which == "article" else "/"
    rendered = client.get(url)
    client.cookies.clear()  # a new reader, as most are
    hit = client.get(url)

    assert not early(rendered) and early(hit)
    assert hit.status_code == 200
    assert TOKEN.sub("", hit.content.decode()) == TOKEN.sub("", rendered.content.decode())
    expected = {k: v for k, v in rendered.headers.items() if k not in OWN}
    assert {k: v for k, v in hit.headers.items() if k not in OWN} == expected
    assert "Content-Security-Policy" in expected and "X-Frame-Options" in expected
    assert int(hit["Content-Length"]) == len(hit.content)
    assert hit.cookies["csrftoken"].value  # the new reader's own cookie


def test_the_token_on_an_early_hit_passes_csrf_for_that_reader_only(story):
    url = story.get_absolute_url()
    reader = Client(enforce_csrf_checks=True)
    reader.get(url)  # renders; this handler now answers hits early
    reader.cookies.clear()
    hit = reader.get(url)
    assert early(hit)
    token = TOKEN.search(hit.content.decode()).group(1)
    login = {"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": token}

    assert reader.post("/admin/login/", login).status_code == 200  # a form error, not 403
    reader.cookies["csrftoken"] = "x" * CSRF_SECRET_LENGTH  # someone else's cookie
    assert reader.post("/admin/login/", login).status_code == 403


def test_a_returning_reader_keeps_their_cookie_and_gets_304s_early(client, story):
    url = story.get_absolute_url()
    client.get(url)
    first = client.get(url)
    secret = client.cookies["csrftoken"].value
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert early(first) and early(again)
    assert again.status_code == 304 and not again.content
    assert again["ETag"] == first["ETag"]
    assert "Content-Type" not in again
    assert client.cookies["csrftoken"].value == secret


def test_an_unknown_host_is_refused_early_too(client, story):
    url = story.get_absolute_url()
    client.get(url)
    assert client.get(url, HTTP_HOST="evil.example").status_code == 400


def test_misses_and_other_requests_go_through_the_whole_stack(client, story):
    url = story.get_absolute_url()
    assert not early(client.get(url))  # nothing stored yet
    assert not early(client.head(url))
    assert not early(client.get(story.section.get_absolute_url()))
    assert client.get(url.replace("harbour", "no-such")).status_code == 404


def test_a_process_that_has_not_met_the_article_answers_early_from_the_shared_map(client, story):
    url = story.get_absolute_url()
    client.get(url)
    pagecache.slug_ids.clear()  # this process's copy; another process stored the slug's id
    assert early(client.get(url))


def test_a_slug_that_moved_to_another_article_serves_that_article(
    client, story, django_capture_on_commit_callbacks
):
    """The shared map still says the slug is the old article's: the page served (and stored)
    is the new article's, and it follows the new article's edits."""
    url = story.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        story.delete()
    newer = published(section=SectionFactory(slug="local"), title="Ferry returns", slug=story.slug)
    assert newer.get_absolute_url() == url

    assert "Ferry returns" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        newer.title = "Ferry returns early"
        newer.save()
    assert "Ferry returns early" in client.get(url).content.decode()


def test_an_unpublished_article_is_never_answered_early(
    client, story, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    client.get(url)
    assert early(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        story.status = "unpublished"
        story.save()
    assert client.get(url).status_code == 404


def test_reader_csrf_tokens_are_what_django_makes():
    """Same shape as get_token()'s, unmasking to the secret, fresh for every response."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    tokens = {pagecache.csrf_token(request) for _ in range(200)}
    secret = request.META["CSRF_COOKIE"]

    assert len(tokens) == 200
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    _check_token_format(secret)
    assert len(secret) == CSRF_SECRET_LENGTH
    for token in tokens:
        _check_token_format(token)
        assert _unmask_cipher_token(token) == secret
    used = set("".join(tokens))
    assert used <= set(CSRF_ALLOWED_CHARS) and len(used) == len(CSRF_ALLOWED_CHARS)
