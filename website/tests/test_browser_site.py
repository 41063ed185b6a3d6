"""The reader site in a real Chromium (Debian's /usr/bin/chromium driven by Playwright):
every block of the article page, navigation, search, a phone-sized viewport, and no console
errors or CSP violations. Screenshots go to test-artifacts/ (git-ignored)."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache

from articles.models import Correction, RelatedLink
from articles.tests.factories import BylineFactory, SectionFactory
from articles.tests.site_helpers import published
from authors.tests.factories import AuthorFactory
from newsletter.tests.factories import ListFactory
from newsroom.tests.browser import ARTIFACTS, watch_console
from publication.models import AdSlot, SiteSettings
from publication.services import WEATHER_CACHE_KEY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARAGRAPHS = "".join(
    f"<p>The harbour authority said on Monday that paragraph {i} of its plan would "
    "change how ferries, freighters and fishing boats share the quays.</p>"
    for i in range(8)
)


@pytest.fixture
def newsroom():
    site = SiteSettings.load()
    site.site_name = "The Harbour Herald"
    site.tagline = "News from the port since 1901"
    site.twitter_url = "https://x.com/harbourherald"
    site.mastodon_url = "https://mastodon.example/@herald"
    site.postal_address = "1 Quay Street\nPort Town"
    site.save()
    cache.set(
        WEATHER_CACHE_KEY,
        {
            "city": site.weather_city,
            "latitude": site.weather_latitude,
            "longitude": site.weather_longitude,
            "temperature": 0.4,
            "unit": "°C",
            "fetched_at": time.time(),
        },
    )
    sections = [
        SectionFactory(name=name, slug=name.lower(), position=i)
        for i, name in enumerate(["World", "Politics", "Business", "Technology", "Opinion"])
    ]
    ada = AuthorFactory(
        name="Ada Reyes",
        slug="ada-reyes",
        job_title="Senior correspondent",
        bio="Ada covers ports and shipping.\n\nShe joined the Herald in 2015.",
    )
    ben = AuthorFactory(name="Ben Okafor", slug="ben-okafor", job_title="Data reporter")
    stories = []
    for i in range(12):
        article = published(
            section=sections[i % 5],
            title=f"Harbour story number {i}: ferries return to the old quay",
            dek="The council's plan for the waterfront passed after two years of debate.",
            body=PARAGRAPHS,
            tags=["harbour", "ferries"] if i % 2 else ["harbour"],
            ago=timedelta(hours=i + 1),
        )
        BylineFactory(article=article, author=ada, position=0)
        if i % 3 == 0:
            BylineFactory(article=article, author=ben, role="Data by", position=1)
        stories.append(article)
    lead = stories[0]
    Correction.objects.create(article=lead, text="An earlier version misstated the vote count.")
    RelatedLink.objects.create(article=lead, target=stories[5], position=0)
    RelatedLink.objects.create(
        article=lead, url="https://example.org/plan", title="Read the council's plan", position=1
    )
    # The lists the migrations create are gone after another live-server test's flush.
    ListFactory(digest=True)
    AdSlot.objects.create(
        name="Ferry line",
        placement="article",
        html='<p><a href="https://ferry.example">Ferry tickets from €9</a></p>',
    )
    return lead


def _no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_reader_browses_the_site(live_server, newsroom, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = watch_console(page)

    # Home
    page.goto(live_server.url + "/")
    assert page.locator(".masthead__name").inner_text().strip() == "The Harbour Herald"
    assert page.locator(".topbar__date").is_visible()
    assert "0.4 °C" in page.locator(".topbar__weather").inner_text()
    page.screenshot(path=str(ARTIFACTS / "home-desktop.png"), full_page=True)

    # Into the lead article
    page.locator(".card--lead .card__title a").click()
    page.wait_for_load_state()
    assert page.url.endswith(newsroom.get_absolute_url())
    expect_visible = [
        ".topbar__date",
        ".site-nav",
        ".article .kicker",
        "h1#article-title",
        ".article__dek",
        ".byline",
        ".article__times",
        ".article__body",
        ".article__tags",
        ".corrections",
        ".share",
        ".author-box",
        "#related-title",
        "#comments",
        "#stay-connected-title",
        ".ad__label",
        "#latest-title",
        ".site-footer",
    ]
    for selector in expect_visible:
        locator = page.locator(selector).first
        locator.scroll_into_view_if_needed()
        assert locator.is_visible(), selector
    assert page.locator(".ad__label").inner_text() == "- Advertisement -"
    # The forms on the page: comment (comment, name, email, website) and newsletter sign-up.
    for label in ("Comment", "Name", "Email", "Website"):
        assert page.locator("#comments form").get_by_label(label, exact=True).is_visible(), label
    signup = page.locator(".stay-connected .newsletter-signup")
    assert signup.get_by_label("Your email address").is_visible()
    assert signup.get_by_label("Daily digest").is_visible()
    assert signup.get_by_role("button", name="Sign up").is_visible()
    assert page.locator(".related__item").count() >= 2
    assert "Read the council's plan" in page.locator(".related").inner_text()
    page.screenshot(path=str(ARTIFACTS / "article-desktop.png"), full_page=True)

    # Author page, then a section page
    page.locator(".byline a", has_text="Ada Reyes").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Ada Reyes"
    assert "Ada covers ports and shipping." in page.content()
    page.go_back()
    page.locator(".article .kicker a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == newsroom.section.name

    # Search from the navigation bar
    page.fill("#site-search-q", "ferries")
    page.press("#site-search-q", "Enter")
    page.wait_for_load_state()
    assert "/search/?q=ferries" in page.url
    assert page.locator(".search-result").count() > 0
    assert page.locator(".search-result mark").count() > 0

    # Phone-sized viewport: nothing overflows sideways
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/")
    assert _no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "home-mobile.png"), full_page=True)
    page.goto(live_server.url + newsroom.get_absolute_url())
    assert _no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "article-mobile.png"), full_page=True)

    # Keyboard users can skip to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"

    assert problems == []
    context.close()


def test_pages_work_without_javascript(live_server, newsroom, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + newsroom.get_absolute_url())
    assert page.locator("h1#article-title").is_visible()
    assert _no_horizontal_overflow(page)
    context.close()


def test_an_author_without_a_photo_gets_the_header_s_whole_width(live_server, browser):
    author = AuthorFactory(
        name="Maximiliane Oberhausen-Winterfeld",
        slug="maximiliane",
        job_title="Chief political correspondent",
    )
    BylineFactory(article=published(title="Council votes"), author=author, position=0)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/author/maximiliane/")
    name = page.locator(".author-header h1")
    header = page.locator(".author-header").bounding_box()
    # Not squeezed into an empty photo column: the name spans the header on one line.
    assert name.bounding_box()["width"] > header["width"] * 0.9
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).lineHeight)")
    assert name.bounding_box()["height"] < 1.5 * line
    context.close()
