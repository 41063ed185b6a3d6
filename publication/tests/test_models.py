from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from publication.models import AdSlot, SiteSettings, validate_link
from publication.services import ad_html_sanitize

pytestmark = pytest.mark.django_db


def test_site_settings_is_a_single_row_with_defaults_from_settings(settings):
    settings.SITE_NAME = "The Harbour Herald"
    settings.WEATHER_CITY = "Hamburg"
    current = SiteSettings.current()
    assert current.pk is None or not SiteSettings.objects.exists()
    assert current.site_name == "The Harbour Herald"
    assert current.weather_city == "Hamburg"
    assert not SiteSettings.objects.exists()  # reading never writes

    first = SiteSettings.load()
    second = SiteSettings(site_name="Another")
    second.save()
    assert SiteSettings.objects.count() == 1
    assert first.pk == second.pk == 1
    assert SiteSettings.current().site_name == "Another"


def test_a_second_row_is_refused_by_the_database():
    SiteSettings.load()
    with pytest.raises(IntegrityError):
        SiteSettings.objects.bulk_create([SiteSettings(pk=2)])


def test_site_settings_paragraphs_and_social_links():
    site = SiteSettings(
        about_text="One.\r\n\r\nTwo.",
        postal_address="1 Quay St\n\nPort",
        mastodon_url="https://m.example/@h",
    )
    assert site.about_paragraphs == ["One.", "Two."]
    assert site.address_lines == ["1 Quay St", "Port"]
    assert site.social_links == [("Mastodon", "https://m.example/@h")]


def test_ads_are_active_only_inside_their_window_and_when_on():
    now = timezone.now()
    always = AdSlot.objects.create(name="a", placement="article", html="<p>a</p>")
    future = AdSlot.objects.create(
        name="b", placement="article", html="<p>b</p>", active_from=now + timedelta(hours=1)
    )
    over = AdSlot.objects.create(
        name="c", placement="article", html="<p>c</p>", active_to=now - timedelta(minutes=1)
    )
    off = AdSlot.objects.create(name="d", placement="article", html="<p>d</p>", is_enabled=False)

    assert list(AdSlot.objects.active(now)) == [always]
    assert set(AdSlot.objects.live(now)) == {always, future}
    assert always.is_active(now) and not future.is_active(now)
    assert not over.is_active(now) and not off.is_active(now)


def test_an_ad_needs_an_image_or_html_and_a_sane_window():
    now = timezone.now()
    with pytest.raises(ValidationError):
        AdSlot(name="empty", placement="article").full_clean()
    with pytest.raises(ValidationError):
        AdSlot(
            name="backwards",
            placement="article",
            html="<p>x</p>",
            active_from=now,
            active_to=now - timedelta(hours=1),
        ).full_clean()


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<div style="background:url(javascript:alert(1))">x</div>',
        "<svg onload=alert(1)>",
    ],
)
def test_ad_html_is_reduced_to_inert_markup(hostile):
    clean = ad_html_sanitize(html=hostile)
    for bad in ("<script", "onerror", "javascript:", "<iframe", "style=", "onload"):
        assert bad not in clean.lower()


def test_ad_html_keeps_an_image_with_a_link():
    html = (
        '<a href="https://shop.example">'
        '<img src="https://cdn.example/a.png" alt="Shop" width="300" height="250"></a>'
    )
    clean = ad_html_sanitize(html=html)
    assert 'href="https://shop.example"' in clean
    assert 'rel="sponsored noopener noreferrer"' in clean
    assert 'src="https://cdn.example/a.png"' in clean


@pytest.mark.parametrize(
    "link", ["https://example.org/offer", "http://example.org", "/contact/", "/about/?from=ad"]
)
def test_an_ad_links_to_a_full_address_or_a_path_of_this_site(link):
    validate_link(link)


@pytest.mark.parametrize(
    "link", ["//evil.example/", "javascript:alert(1)", "contact/", "/a b/", "ftp://example.org/"]
)
def test_an_ad_link_that_is_neither_is_refused(link):
    with pytest.raises(ValidationError):
        validate_link(link)
