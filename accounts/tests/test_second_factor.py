"""Editors and administrators sign in with a password and a one-time code (authenticator app or
recovery code); a session that has only the password gets nothing but the pages to finish."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from articles.tests.factories import ArticleFactory
from authors.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.STAFF_OTP_REQUIRED = True


def sign_in(client, user, next_url="/admin/"):
    return client.post(
        reverse("admin:login"),
        {"username": user.username, "password": PASSWORD, "next": next_url},
    )


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def enrolled(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    services.recovery_codes_renew(user=user)
    return device


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_administrators_set_up_a_second_factor_at_first_sign_in(client, role):
    user = UserFactory(**{role: True})
    response = sign_in(client, user)
    assert response.status_code == 302
    # The admin is closed until the set-up is done.
    page = client.get("/admin/", follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("accounts:setup"))
    assert 'src="data:image/svg+xml' in page.content.decode()  # the QR code
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(reverse("accounts:setup"), {"code": "000000", "next": "/admin/"})
    assert "does not match" in wrong.content.decode()
    done = client.post(
        reverse("accounts:setup"), {"code": current_code(device), "next": "/admin/"}, follow=True
    )
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    assert client.get("/admin/").status_code == 200
    # Shown once.
    assert client.get(reverse("accounts:recovery-codes")).status_code == 302


def test_an_enrolled_editor_enters_a_code_after_the_password(client):
    user = UserFactory(editor=True)
    device = enrolled(user)
    sign_in(client, user, next_url="/admin/articles/article/")
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))

    bad = client.post(reverse("accounts:verify"), {"code": "123456"})
    assert bad.status_code == 200 and "not valid" in bad.content.decode()
    assert client.get("/admin/").status_code == 302
    # A wrong code makes the next try wait (django-otp's throttling): even the right one.
    assert (
        client.post(reverse("accounts:verify"), {"code": current_code(device)}).status_code == 200
    )
    device.refresh_from_db()
    device.throttle_reset()

    good = client.post(
        reverse("accounts:verify"),
        {"code": current_code(device), "next": "/admin/articles/article/"},
    )
    assert good.status_code == 302 and good["Location"] == "/admin/articles/article/"
    assert client.get("/admin/articles/article/").status_code == 200


def test_a_recovery_code_works_once(client):
    user = UserFactory(editor=True)
    enrolled(user)
    code = StaticToken.objects.filter(device__user=user).first().token
    sign_in(client, user)
    assert client.post(reverse("accounts:verify"), {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    sign_in(client, user)
    again = client.post(reverse("accounts:verify"), {"code": code})
    assert again.status_code == 200 and "not valid" in again.content.decode()
    assert services.recovery_codes_left(user=user) == 9


def test_a_password_only_session_gets_nothing_from_the_api_or_previews(client):
    user = UserFactory(editor=True)
    enrolled(user)
    draft = ArticleFactory(title="Embargoed merger")
    sign_in(client, user)
    assert client.get(f"/api/v1/articles/{draft.pk}/").status_code == 404
    listing = client.get("/api/v1/articles/?status=draft")
    assert listing.status_code in (400, 401, 403) or "Embargoed" not in listing.content.decode()
    assert client.post(f"/api/v1/articles/{draft.pk}/publish/").status_code in (401, 403)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_next_url_cannot_leave_the_site(client):
    user = UserFactory(editor=True)
    device = enrolled(user)
    sign_in(client, user)
    response = client.post(
        reverse("accounts:verify"),
        {"code": current_code(device), "next": "https://evil.example/phish"},
    )
    assert response["Location"] == "/admin/"


def test_a_password_alone_cannot_replace_the_authenticator(client):
    user = UserFactory(editor=True)
    enrolled(user)
    sign_in(client, user)
    response = client.get(reverse("accounts:setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_reporters_are_not_asked_unless_they_chose_it(client):
    reporter = UserFactory(reporter=True)
    sign_in(client, reporter)
    assert client.get("/admin/").status_code == 200
    client.logout()
    enrolled(reporter)
    sign_in(client, reporter)
    assert client.get("/admin/").status_code == 302  # a factor that is there is always asked for


def test_without_the_requirement_editors_sign_in_with_a_password(client, settings):
    settings.STAFF_OTP_REQUIRED = False
    sign_in(client, UserFactory(editor=True))
    assert client.get("/admin/").status_code == 200


def test_the_required_factor_cannot_be_removed_but_an_optional_one_can(client):
    editor = UserFactory(editor=True)
    enrolled(editor)
    with pytest.raises(services.SecondFactorRequired):
        services.second_factor_remove(user=editor)
    reporter = UserFactory(reporter=True)
    enrolled(reporter)
    services.second_factor_remove(user=reporter)
    assert not TOTPDevice.objects.filter(user=reporter).exists()


def test_new_recovery_codes_cancel_the_old_ones(client):
    user = UserFactory(editor=True)
    device = enrolled(user)
    old = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    sign_in(client, user)
    client.post(reverse("accounts:verify"), {"code": current_code(device)})
    page = client.post(reverse("accounts:recovery-codes"), follow=True)
    new = set(page.context["codes"])
    assert len(new) == 10 and not new & old
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == new
