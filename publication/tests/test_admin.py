import pytest
from django.contrib.auth.models import Permission

from authors.tests.factories import UserFactory
from publication.models import AdSlot, SiteSettings

pytestmark = pytest.mark.django_db


def _staff(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="publication", codename__in=codenames)
    )
    return user


def test_site_settings_admin_opens_the_single_row(client):
    client.force_login(UserFactory(admin=True))
    response = client.get("/admin/publication/sitesettings/")
    assert response.status_code == 302
    assert response["Location"].endswith("/admin/publication/sitesettings/1/change/")
    assert client.get(response["Location"]).status_code == 200
    assert SiteSettings.objects.count() == 1


def test_site_settings_admin_saves(client):
    client.force_login(UserFactory(admin=True))
    site = SiteSettings.load()
    data = {
        "site_name": "The Port Gazette",
        "tagline": "Since 1901",
        "weather_city": site.weather_city,
        "weather_latitude": site.weather_latitude,
        "weather_longitude": site.weather_longitude,
        "twitter_url": "https://x.com/gazette",
    }
    response = client.post(f"/admin/publication/sitesettings/{site.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SiteSettings.current().site_name == "The Port Gazette"


def _ad_form(**overrides):
    return {
        "name": "Bakery",
        "placement": "article",
        "alt_text": "",
        "link_url": "",
        "html": "<p>Fresh bread</p><script>alert(1)</script>",
        "is_enabled": "on",
        "position": 0,
        **overrides,
    }


def test_staff_without_the_html_permission_cannot_set_ad_html(client):
    user = _staff("add_adslot", "change_adslot", "view_adslot")
    client.force_login(user)
    response = client.post("/admin/publication/adslot/add/", _ad_form())
    # The HTML field is read-only for them, so the ad has no content and is refused.
    assert response.status_code == 200
    assert not AdSlot.objects.exists()

    ad = AdSlot.objects.create(name="Existing", placement="article", html="<p>Old</p>")
    form = client.get(f"/admin/publication/adslot/{ad.pk}/change/").content.decode()
    assert 'name="html"' not in form


def test_staff_with_the_html_permission_set_sanitized_html(client):
    user = _staff("add_adslot", "change_adslot", "view_adslot", "change_adslot_html")
    client.force_login(user)
    response = client.post("/admin/publication/adslot/add/", _ad_form())
    assert response.status_code == 302
    ad = AdSlot.objects.get()
    assert ad.html == "<p>Fresh bread</p>"
