# ruff: noqa: S314 - parses XML our own views just produced
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from articles.tests.factories import BylineFactory, SectionFactory
from articles.tests.site_helpers import published
from authors.tests.factories import AuthorFactory
from publication.models import SiteSettings

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def articles():
    world = SectionFactory(name="World", slug="world")
    business = SectionFactory(name="Business", slug="business")
    ada = AuthorFactory(name="Ada Reyes", slug="ada")
    SiteSettings.objects.create(site_name="The Harbour Herald", tagline="News from the port")
    items = []
    for i in range(3):
        article = published(
            section=world if i < 2 else business,
            title=f"Story {i}",
            dek=f"Dek {i} & more",
            ago=timedelta(hours=i),
            tags=["port"],
        )
        if i != 1:
            BylineFactory(article=article, author=ada)
        items.append(article)
    return items


def test_rss_feed_lists_newest_published_articles(client, articles):
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert response["Cache-Control"].startswith("public, max-age=60, s-maxage=86400")
    assert "feeds" in response["xkey"].split()
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "The Harbour Herald: latest articles"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Story 0", "Story 1", "Story 2"]
    first = items[0]
    assert first.findtext("link").endswith(articles[0].get_absolute_url())
    assert first.findtext("description") == "Dek 0 & more"
    assert first.findtext("pubDate")
    assert "World" in [c.text for c in first.findall("category")]
    assert "port" in [c.text for c in first.findall("category")]


def test_atom_feed_has_entries_with_authors(client, articles):
    root = ET.fromstring(client.get("/feed/atom/").content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Story 0", "Story 1", "Story 2"]
    assert entries[0].find(f"{ATOM}author").findtext(f"{ATOM}name") == "Ada Reyes"
    assert entries[0].findtext(f"{ATOM}updated")


def test_section_and_author_feeds_are_filtered(client, articles):
    section = ET.fromstring(client.get("/section/world/feed/").content)
    assert [i.findtext("title") for i in section.iter("item")] == ["Story 0", "Story 1"]
    author = ET.fromstring(client.get("/author/ada/feed/").content)
    assert [i.findtext("title") for i in author.iter("item")] == ["Story 0", "Story 2"]


def test_feeds_of_unknown_sections_and_authors_are_404(client, articles):
    assert client.get("/section/nope/feed/").status_code == 404
    assert client.get("/author/nope/feed/").status_code == 404


def test_feed_guid_survives_a_slug_change(client, articles):
    before = ET.fromstring(client.get("/feed/").content).find("channel/item").findtext("guid")
    articles[0].slug = "a-new-slug"
    articles[0].save()
    after = ET.fromstring(client.get("/feed/").content).find("channel/item").findtext("guid")
    assert before == after


def test_feed_query_count_does_not_grow_with_items(client, articles, django_assert_max_num_queries):
    client.get("/feed/")
    with django_assert_max_num_queries(4):
        client.get("/feed/")
