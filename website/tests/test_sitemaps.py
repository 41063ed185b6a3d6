# ruff: noqa: S314 - parses XML our own views just produced
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from articles.tests.factories import BylineFactory, SectionFactory
from articles.tests.site_helpers import published
from authors.tests.factories import AuthorFactory
from publication.models import SiteSettings

pytestmark = pytest.mark.django_db
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def content():
    world = SectionFactory(name="World", slug="world")
    ada = AuthorFactory(slug="ada")
    fresh = published(section=world, title="Fresh & new", tags=["port"], ago=timedelta(hours=3))
    old = published(section=world, title="Old story", ago=timedelta(days=5))
    old.updated_at = old.published_at + timedelta(days=1)
    old.save()
    BylineFactory(article=fresh, author=ada)
    SiteSettings.objects.create(site_name="The Harbour Herald")
    return fresh, old


def test_sitemap_index_lists_every_part(client, content):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    locs = [s.findtext(f"{SM}loc") for s in root.findall(f"{SM}sitemap")]
    assert {loc.rsplit("/", 1)[1] for loc in locs} == {
        "sitemap-home.xml",
        "sitemap-articles.xml",
        "sitemap-sections.xml",
        "sitemap-authors.xml",
        "sitemap-tags.xml",
    }


def test_article_sitemap_has_urls_on_site_url_with_lastmod(client, content):
    fresh, old = content
    root = ET.fromstring(client.get("/sitemap-articles.xml").content)
    entries = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.findall(f"{SM}url")}
    assert set(entries) == {
        "http://localhost:8000" + fresh.get_absolute_url(),
        "http://localhost:8000" + old.get_absolute_url(),
    }
    assert entries["http://localhost:8000" + old.get_absolute_url()].startswith(
        old.updated_at.date().isoformat()
    )


def test_section_author_and_tag_sitemaps(client, content):
    for part, expected in [
        ("sections", "/section/world/"),
        ("authors", "/author/ada/"),
        ("tags", "/tag/port/"),
    ]:
        root = ET.fromstring(client.get(f"/sitemap-{part}.xml").content)
        locs = [u.findtext(f"{SM}loc") for u in root.findall(f"{SM}url")]
        assert "http://localhost:8000" + expected in locs, part


def test_news_sitemap_holds_only_the_last_two_days(client, content):
    fresh, _old = content
    response = client.get("/news-sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    urls = root.findall(f"{SM}url")
    assert len(urls) == 1
    news = urls[0].find(f"{NEWS}news")
    assert urls[0].findtext(f"{SM}loc") == "http://localhost:8000" + fresh.get_absolute_url()
    assert news.findtext(f"{NEWS}title") == "Fresh & new"
    assert news.find(f"{NEWS}publication").findtext(f"{NEWS}name") == "The Harbour Herald"
    assert news.find(f"{NEWS}publication").findtext(f"{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}publication_date").startswith(
        fresh.published_at.date().isoformat()[:4]
    )
    assert news.findtext(f"{NEWS}keywords") == "port"


def test_sitemaps_use_site_url_not_the_request_host(client, content, settings):
    settings.SITE_URL = "https://news.example"
    root = ET.fromstring(client.get("/sitemap-articles.xml").content)
    assert all(
        u.findtext(f"{SM}loc").startswith("https://news.example/") for u in root.findall(f"{SM}url")
    )
