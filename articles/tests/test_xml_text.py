"""A character XML cannot carry (a vertical tab pasted from a word processor, say) is cleaned
where staff text comes in, and can never take a feed or a sitemap down, even when it is already
stored."""

# ruff: noqa: S314 - parses XML our own views just produced
import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from articles.models import Article, Correction, Section
from articles.services.corrections import correction_add
from articles.services.editing import article_create, article_update
from articles.tests.admin_helpers import form_fields
from articles.tests.factories import BylineFactory, SectionFactory
from articles.tests.site_helpers import published
from authors.models import Author
from authors.services import author_create
from authors.tests.factories import AuthorFactory, UserFactory
from core.text import XML_ILLEGAL_RE, xml_text
from newsroom.tests.corpus import XML_ILLEGAL, XML_LEGAL, with_each_illegal
from publication.models import SiteSettings

pytestmark = pytest.mark.django_db

FEEDS = ["/feed/", "/feed/atom/", "/section/world/feed/", "/author/ada/feed/"]
# Form posts and JSON carry every one of them except a lone surrogate (not encodable in UTF-8).
HTTP_ILLEGAL = [name for name in XML_ILLEGAL if name != "lone-surrogate"]


def clean(value: str) -> bool:
    return not XML_ILLEGAL_RE.search(value)


def parse_all(client) -> list[ET.Element]:
    documents = []
    for url in [*FEEDS, "/news-sitemap.xml", "/sitemap.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        documents.append(ET.fromstring(response.content))
    return documents


@pytest.fixture
def world():
    return SectionFactory(name="World", slug="world")


# PostgreSQL itself refuses NUL and a lone surrogate cannot be encoded: neither can be stored.
STORABLE = [name for name in XML_ILLEGAL if name not in ("nul", "lone-surrogate")]


@pytest.mark.parametrize("kind", STORABLE)
def test_one_stored_article_with_a_control_character_cannot_take_a_feed_down(client, world, kind):
    ch = XML_ILLEGAL[kind]
    SiteSettings.objects.create(site_name=f"The Harbour{ch}Herald", tagline=f"News{ch}here")
    article = published(section=world, title="Fine", tags=[f"port{ch}side"])
    BylineFactory(article=article, author=AuthorFactory(name=f"Ada{ch}Reyes", slug="ada"))
    published(section=world, title="Also fine")
    # Stored before input was cleaned (or by a path that skipped it).
    Article.objects.filter(pk=article.pk).update(
        title=f"Harbour{ch}plan", dek=f"The vote{ch}passed"
    )
    documents = parse_all(client)
    rss = documents[0]
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert sorted(titles) == sorted([xml_text(f"Harbour{ch}plan"), "Also fine"])
    for document in documents:
        for element in document.iter():
            assert clean(element.text or ""), (kind, element.tag)


def test_legal_characters_survive_in_feeds(client, world):
    text = "Harbour " + "".join(XML_LEGAL.values()) + " plan"
    published(section=world, title=text)
    rss = ET.fromstring(client.get("/feed/").content)
    assert rss.find("channel/item").findtext("title") == text


@pytest.mark.parametrize(("kind", "title"), with_each_illegal("Harbour plan").items())
def test_the_services_store_article_text_without_them(world, kind, title):
    editor = UserFactory(editor=True)
    ch = XML_ILLEGAL[kind]
    article = article_create(
        user=editor,
        title=title,
        section=world,
        body=f"<p>Vote{ch}passed</p>",
        dek=f"One{ch}two",
        tags=[f"port{ch}", "city"],
    )
    article = article_update(
        user=editor,
        article=article,
        data={"seo_title": f"SEO{ch}", "hero_caption": f"Cap{ch}tion"},
        expected_version=article.version,
        tags=[f"har{ch}bour"],
    )
    correction = correction_add(user=editor, article=article, kind="correction", text=f"A{ch}B")
    article.refresh_from_db()
    stored = [article.title, article.dek, article.body, article.seo_title, article.hero_caption]
    stored += [t.name for t in article.tags.all()] + [correction.text]
    assert all(clean(value) for value in stored), stored
    assert "\n" not in article.title  # one line: a break became a space
    assert article.title.replace(" ", "") == "Harbourplan"
    author = author_create(user=editor, name=f"Ada{ch}Reyes", bio=f"One{ch}two")
    assert clean(author.name) and clean(author.bio)


@pytest.mark.parametrize("kind", HTTP_ILLEGAL)
def test_the_admin_stores_article_text_without_them(client, world, kind):
    ch = XML_ILLEGAL[kind]
    client.force_login(UserFactory(editor=True))
    data = form_fields(client.get(reverse("admin:articles_article_add")).content)
    data.update({"title": f"Harbour{ch}plan", "dek": f"One{ch}two", "section": str(world.pk)})
    response = client.post(reverse("admin:articles_article_add"), data)
    if kind == "nul":
        # Django's forms refuse NUL outright, with a message on the field.
        assert response.status_code == 200 and not Article.objects.exists()
        return
    assert response.status_code == 302, response.content[:3000]
    article = Article.objects.get()
    assert clean(article.title) and clean(article.dek)


@pytest.mark.parametrize("kind", list(XML_ILLEGAL))
def test_the_api_stores_article_and_section_text_without_them(world, kind):
    from api.tests.conftest import token_client

    ch = XML_ILLEGAL[kind]
    api = token_client(UserFactory(editor=True))
    # As a client writes it: JSON escapes (\u000b, \ud83d) for every one of them.
    response = api.post(
        "/api/v1/articles/",
        json.dumps({"title": f"Harbour{ch}plan", "dek": f"One{ch}two", "section": "world",
                    "tags": [f"port{ch}side"], "body": f"<p>A{ch}B</p>"}),
        content_type="application/json",
    )  # fmt: skip
    section = api.post(
        "/api/v1/sections/",
        json.dumps({"name": f"Sport{ch}s", "slug": "sports"}),
        content_type="application/json",
    )
    if kind == "lone-surrogate":
        # Not Unicode text: the API's parser refuses the whole body, nothing is stored.
        for answer in (response, section):
            assert answer.status_code == 400 and "not valid Unicode" in answer.json()["detail"]
        assert not Article.objects.exists()
        return
    if kind == "nul":
        # DRF refuses it with a message on each field: nothing is stored.
        assert response.status_code == 400 and "title" in response.json()["errors"]
        assert section.status_code == 400 and "name" in section.json()["errors"]
        return
    assert response.status_code == 201, response.json()
    article = Article.objects.get()
    assert clean(article.title) and clean(article.dek) and clean(article.body)
    assert all(clean(t.name) for t in article.tags.all())
    assert section.status_code == 201, section.json()
    assert clean(Section.objects.get(slug="sports").name)


@pytest.mark.parametrize("kind", HTTP_ILLEGAL)
def test_admin_saves_without_a_service_clean_too(client, kind):
    from taggit.models import Tag

    ch = XML_ILLEGAL[kind]
    client.force_login(UserFactory(admin=True))
    client.post(reverse("admin:articles_section_add"), {"name": f"Sport{ch}s", "slug": "sports",
                                                         "position": "0"})  # fmt: skip
    tag = client.post(
        reverse("admin:taggit_tag_add"),
        {
            "name": f"port{ch}side",
            "slug": "portside",
            "taggit_taggeditem_items-TOTAL_FORMS": "0",
            "taggit_taggeditem_items-INITIAL_FORMS": "0",
        },
    )
    assert tag.status_code == 302 or kind == "nul", tag.content.decode()[-3000:]
    if kind == "nul":
        assert not Section.objects.filter(slug="sports").exists()
        return
    assert clean(Section.objects.get(slug="sports").name)
    assert clean(Tag.objects.get(slug="portside").name)


def test_corrections_and_authors_keep_their_line_breaks():
    editor = UserFactory(editor=True)
    author = author_create(user=editor, name="Ada", bio="One\x0btwo")
    assert Author.objects.get(pk=author.pk).bio == "One\ntwo"
    article = published(section=SectionFactory(), title="Fine")
    correction_add(user=editor, article=article, kind="correction", text="A\x0cB")
    assert Correction.objects.get().text == "A\nB"
