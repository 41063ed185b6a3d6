"""The reader site, its feeds and sitemaps and the API, compressed for clients that reach the
site directly (``make run``), byte for byte the documents an uncompressing client gets."""

import gzip

import brotli
import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.tests.factories import ArticleFactory, BylineFactory, SectionFactory
from articles.tests.site_helpers import published
from authors.tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db

BODY = "".join(
    f"<p>Paragraph {n}: the harbour authority said the ferries would return.</p>" for n in range(20)
)


@pytest.fixture
def story():
    world = SectionFactory(name="World", slug="world", in_navigation=True)
    article = published(section=world, title="Ferries return", body=BODY, tags=["harbour"])
    BylineFactory(article=article, author=AuthorFactory(slug="ada"))
    return article


def decoded(response) -> bytes:
    coding = response["Content-Encoding"]
    return (
        brotli.decompress(response.content) if coding == "br" else gzip.decompress(response.content)
    )


@pytest.mark.parametrize(
    "url",
    ["/", "{article}", "/section/world/", "/search/?q=ferries", "/feed/", "/feed/atom/",
     "/sitemap.xml", "/sitemap-articles.xml", "/news-sitemap.xml", "/api/v1/articles/",
     "/api/v1/articles/{id}/", "/no/such/page/"],
)  # fmt: skip
@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_pages_feeds_sitemaps_and_api_reads_are_compressed(story, url, coding):
    url = url.format(article=story.get_absolute_url(), id=story.pk)
    plain = Client().get(url)
    accepted = "gzip, deflate, br" if coding == "br" else "gzip, deflate"
    compressed = Client().get(url, HTTP_ACCEPT_ENCODING=accepted)

    assert compressed.status_code == plain.status_code, url
    assert compressed["Content-Encoding"] == coding, url
    assert decoded(compressed) == plain.content, url
    assert "Accept-Encoding" in compressed["Vary"], url
    assert compressed["ETag"] == plain["ETag"][:-1] + f'-{coding}"', url


def test_staff_save_with_the_etag_of_a_compressed_read(editor, story):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    draft = ArticleFactory(section=story.section, title="Draft", body=BODY)
    url = f"/api/v1/articles/{draft.pk}/"

    read = client.get(url, HTTP_ACCEPT_ENCODING="br")
    assert read["Content-Encoding"] == "br" and read["ETag"].endswith('-br"')
    assert read["ETag"].startswith(f'"v{draft.version}-')
    unchanged = client.get(url, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=read["ETag"])
    assert unchanged.status_code == 304 and unchanged["ETag"] == read["ETag"]

    saved = client.patch(url, {"title": "Draft, edited"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert saved.status_code == 200, saved.content
    stale = client.patch(url, {"title": "Lost"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert stale.status_code == 412
