# ruff: noqa: S314 - parses XML our own views just produced
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from articles.models import Article, Correction
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
    with django_assert_max_num_queries(5):
        client.get("/feed/")


CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
MEDIA = "{http://search.yahoo.com/mrss/}"


@pytest.fixture
def illustrated(articles):
    """The newest story with a hero image (and its crops), two authors, a link in its text and
    a correction."""
    article = articles[0]
    # An update, not a save: assigning the image would read it from storage for its size.
    Article.objects.filter(pk=article.pk).update(
        body='<p>See <a href="/section/world/">the section</a>.</p><script>alert(1)</script>'
        '<p><a href="javascript:alert(1)">bad</a></p>',
        hero_image="articles/2026/01/harbour.jpg",
        hero_image_width=1600,
        hero_image_height=900,
        hero_alt="Cranes & ships",
        hero_credit="Photo: Ben",
        hero_crops={
            "16x9": {"name": "r/1/h-16x9.webp", "width": 1200, "height": 675, "bytes": 5120},
            "1x1": {"name": "r/1/h-1x1.webp", "width": 900, "height": 900, "bytes": 4096},
        },
    )
    BylineFactory(article=article, author=AuthorFactory(name="Ben Okafor", slug="ben"))
    Correction.objects.create(article=article, text="An earlier version misstated the vote.")
    return article


def test_feeds_link_on_site_url_whatever_host_the_request_names(client, articles, settings):
    settings.SITE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    for url in ("/feed/", "/feed/atom/", "/section/world/feed/", "/tag/port/feed/"):
        response = client.get(url, HTTP_HOST="mirror.example.net")
        body = response.content.decode()
        assert "mirror.example.net" not in body, url
        assert "https://news.example.org/" in body, url
    rss = ET.fromstring(client.get("/feed/", HTTP_HOST="mirror.example.net").content)
    assert rss.find("channel/link").text == "https://news.example.org/"
    assert rss.find("channel/item/link").text == (
        f"https://news.example.org{articles[0].get_absolute_url()}"
    )
    atom = ET.fromstring(client.get("/feed/atom/", HTTP_HOST="mirror.example.net").content)
    assert atom.find(f"{ATOM}link[@rel='self']").get("href") == (
        "https://news.example.org/feed/atom/"
    )


def test_every_byline_is_an_author_of_its_own(client, illustrated):
    item = ET.fromstring(client.get("/feed/").content).find("channel/item")
    assert [c.text for c in item.findall(DC_CREATOR)] == ["Ada Reyes", "Ben Okafor"]
    assert item.find("author") is None
    entry = ET.fromstring(client.get("/feed/atom/").content).find(f"{ATOM}entry")
    authors = entry.findall(f"{ATOM}author")
    assert [a.findtext(f"{ATOM}name") for a in authors] == ["Ada Reyes", "Ben Okafor"]
    assert authors[1].findtext(f"{ATOM}uri") == "http://localhost:8000/author/ben/"


def test_an_atom_feed_names_an_author_for_entries_without_a_byline(client, articles):
    root = ET.fromstring(client.get("/feed/atom/").content)
    assert root.find(f"{ATOM}author").findtext(f"{ATOM}name") == "The Harbour Herald"
    bylineless = root.findall(f"{ATOM}entry")[1]
    assert bylineless.find(f"{ATOM}author") is None


def test_entries_carry_the_whole_article_sanitised_with_absolute_addresses(client, illustrated):
    item = ET.fromstring(client.get("/feed/").content).find("channel/item")
    html = item.findtext(CONTENT)
    assert '<a href="http://localhost:8000/section/world/"' in html
    assert (
        '<img src="http://localhost:8000/media/r/1/h-16x9.webp" alt="Cranes &amp; ships" '
        'width="1200" height="675">'
    ) in html
    assert "misstated the vote" in html
    assert "<script" not in html and "javascript:" not in html
    assert item.findtext("description") == "Dek 0 & more"
    entry = ET.fromstring(client.get("/feed/atom/").content).find(f"{ATOM}entry")
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html" and content.text == html


def test_full_text_can_be_switched_off(client, illustrated, settings):
    settings.FEEDS_FULL_TEXT = False
    item = ET.fromstring(client.get("/feed/").content).find("channel/item")
    assert item.find(CONTENT) is None
    assert item.findtext("description") == "Dek 0 & more"
    entry = ET.fromstring(client.get("/feed/atom/").content).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}content") is None


def test_the_hero_image_is_an_enclosure_and_a_media_element(client, illustrated, settings):
    settings.EDGECACHE_ORIGIN_CACHE = False  # the rows change behind the services' back
    item = ET.fromstring(client.get("/feed/").content).find("channel/item")
    enclosure = item.find("enclosure")
    assert enclosure.attrib == {
        "url": "http://localhost:8000/media/r/1/h-16x9.webp",
        "length": "5120",
        "type": "image/webp",
    }
    media = item.find(f"{MEDIA}content")
    assert media.get("url") == enclosure.get("url")
    assert (media.get("width"), media.get("height"), media.get("medium")) == (
        "1200",
        "675",
        "image",
    )
    assert media.findtext(f"{MEDIA}description") == "Cranes & ships"
    assert media.findtext(f"{MEDIA}credit") == "Photo: Ben"
    entry = ET.fromstring(client.get("/feed/atom/").content).find(f"{ATOM}entry")
    link = entry.find(f"{ATOM}link[@rel='enclosure']")
    assert link.get("href") == enclosure.get("url") and link.get("length") == "5120"
    # Before the worker made the crops: the original, of unknown length.
    Article.objects.filter(pk=illustrated.pk).update(hero_crops={})
    item = ET.fromstring(client.get("/feed/").content).find("channel/item")
    assert item.find("enclosure").attrib == {
        "url": "http://localhost:8000/media/articles/2026/01/harbour.jpg",
        "length": "0",
        "type": "image/jpeg",
    }
    assert (
        ET.fromstring(client.get("/feed/").content).findall("channel/item")[1].find("enclosure")
        is None
    )


def test_tag_feeds_list_the_tag_s_articles_with_its_keys(client, articles):
    tagged = published(title="Tagged only", tags=["ferries"])
    response = client.get("/tag/ferries/feed/")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert [i.findtext("title") for i in root.iter("item")] == ["Tagged only"]
    assert root.find("channel/title").text == "The Harbour Herald: ferries"
    assert root.find("channel/link").text == "http://localhost:8000/tag/ferries/"
    tag = tagged.tags.get()
    keys = set(response["xkey"].split())
    assert {"feeds", "site", f"list:tag:{tag.pk}", f"tag:{tag.pk}", f"article:{tagged.pk}"} <= keys
    assert client.get("/tag/nope/feed/").status_code == 404


def test_tag_pages_link_to_their_feed(client, articles):
    html = client.get("/tag/port/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="port (RSS)" '
        'href="/tag/port/feed/">'
    ) in html
    assert '<a href="/tag/port/feed/">' in html


def test_a_publish_and_a_withdrawal_purge_the_tag_feed(
    client, articles, editor, django_capture_on_commit_callbacks
):
    from articles.services import editing, workflow

    assert client.get("/tag/port/feed/")["X-Origin-Cache"] == "miss"
    assert client.get("/tag/port/feed/")["X-Origin-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        fresh = editing.article_create(
            user=editor, title="Ferry strike", section=articles[0].section, tags=["port"]
        )
        workflow.article_publish(user=editor, article=fresh)
    response = client.get("/tag/port/feed/")
    assert response["X-Origin-Cache"] == "miss" and b"Ferry strike" in response.content
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_unpublish(user=editor, article=fresh)
    assert b"Ferry strike" not in client.get("/tag/port/feed/").content


def test_the_sitemap_index_is_on_site_url(client, articles, settings):
    settings.SITE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    root = ET.fromstring(client.get("/sitemap.xml", HTTP_HOST="mirror.example.net").content)
    locations = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locations and all(
        loc.startswith("https://news.example.org/sitemap-") for loc in locations
    )
