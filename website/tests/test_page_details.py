"""What readers and the web's checkers notice on a page: a description on every page, the
first screen's images loaded first and the author header's layout."""

from datetime import timedelta

import pytest
from django.test import Client

from articles.tests.factories import SectionFactory
from articles.tests.site_helpers import published
from authors.tests.factories import AuthorFactory
from newsletter.tests.factories import ListFactory
from publication.models import AdSlot, SiteSettings
from website.tests.markup import select, tree

pytestmark = pytest.mark.django_db


def _description(response) -> str:
    (meta,) = select(tree(response), "//meta[@name='description']")
    return meta.get("content").strip()


def test_every_page_has_a_description_of_its_own_without_any_setting():
    ListFactory()
    published(title="Harbour strike")
    site = SiteSettings.current().site_name
    home = _description(Client().get("/"))
    assert site in home
    described = {
        "/": home,
        "/search/?q=harbour": _description(Client().get("/search/?q=harbour")),
        "/newsletter/subscribe/": _description(Client().get("/newsletter/subscribe/")),
        "/no/such/page/": _description(Client().get("/no/such/page/")),
    }
    for url, description in described.items():
        assert len(description) > 30, (url, description)
    assert len(set(described.values())) == len(described)


def test_the_front_page_describes_the_site_from_its_settings(django_capture_on_commit_callbacks):
    site = SiteSettings.load()
    with django_capture_on_commit_callbacks(execute=True):
        site.tagline = "News from the port"
        site.save()
    assert _description(Client().get("/")) == "News from the port"
    with django_capture_on_commit_callbacks(execute=True):
        site.description = 'Local news for Port Town & the coast, "every day".'
        site.save()
    response = Client().get("/")
    assert _description(response) == 'Local news for Port Town & the coast, "every day".'
    (og,) = select(tree(response), "//meta[@property='og:description']")
    assert og.get("content") == site.description
    assert "&amp; the coast, &quot;every day&quot;" in response.content.decode()


def _hero(title: str, section, ago_hours: int):
    return published(
        title=title,
        section=section,
        ago=timedelta(hours=ago_hours),
        hero_renditions={"480": f"renditions/{ago_hours}-480.webp", "960": f"r/{ago_hours}.webp"},
    )


def test_the_first_screen_s_images_load_first_and_the_rest_lazily():
    world = SectionFactory(name="World", slug="world")
    lead = _hero("Lead story", world, 1)
    for n in range(2, 10):
        _hero(f"Story {n}", world, n)
    AdSlot.objects.create(
        name="Top",
        placement="home_top",
        image="ads/2026/top.png",
        image_width=970,
        image_height=250,
        alt_text="Ferry tickets",
    )

    home = tree(Client().get("/"))

    (lead_image,) = select(home, "//*[.card--lead]//img")
    assert lead_image.get("loading") == "eager" and lead_image.get("fetchpriority") == "high"
    assert lead.title in select(home, "//*[.card--lead]")[0].text_content()
    top = select(home, "//*[.front__top]//img")
    assert top and all(image.get("loading") == "eager" for image in top)
    below = select(home, "//*[.section-block]//img")
    assert below and all(image.get("loading") == "lazy" for image in below)
    assert not any(image.get("fetchpriority") for image in below)
    (ad,) = select(home, "//*[.ad]//img")
    assert ad.get("loading") == "eager" and ad.get("fetchpriority") == "high"
    # Elsewhere an ad is below the fold: it waits.
    AdSlot.objects.create(
        name="Side", placement="sidebar", image="ads/2026/s.png", image_width=300,
        image_height=250, alt_text="Bakery",
    )  # fmt: skip
    (side,) = select(tree(Client().get("/section/world/")), "//*[.ad]//img")
    assert side.get("loading") == "lazy" and side.get("fetchpriority") is None


def test_the_author_header_has_a_photo_column_only_beside_a_photo():
    without = AuthorFactory(name="Ada Reyes", slug="ada-reyes")
    with_photo = AuthorFactory(
        name="Ben Okafor",
        slug="ben-okafor",
        photo="authors/ben.jpg",
        photo_width=128,
        photo_height=128,
    )
    for author in (without, with_photo):
        published(title=f"A story by {author.name}").bylines.create(author=author, position=0)

    (header,) = select(tree(Client().get("/author/ada-reyes/")), "//*[.author-header]")
    assert "author-header--with-photo" not in header.get("class")
    assert not header.xpath(".//img")
    (header,) = select(tree(Client().get("/author/ben-okafor/")), "//*[.author-header]")
    assert "author-header--with-photo" in header.get("class").split()
    assert select(header, ".//img[.author-header__photo]")
