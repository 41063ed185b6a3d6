"""Repeated failed sign-ins lock that user name out from that address for a while (django-axes);
wrong API tokens count the same way against the address."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.authtoken.models import Token

from authors.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def sign_in(client, username, password, address="198.51.100.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_account_out_from_that_address(client, settings):
    editor = UserFactory(editor=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, editor.username, "guess").status_code == 200
    locked = sign_in(client, editor.username, "guess")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert locked["Retry-After"] == str(15 * 60)
    # Locked: even the right password is refused from that address...
    assert sign_in(client, editor.username, PASSWORD).status_code == 429
    # ...while the owner elsewhere still signs in.
    assert sign_in(client, editor.username, PASSWORD, address="203.0.113.9").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, settings):
    editor = UserFactory(editor=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, editor.username, "guess")
    assert sign_in(client, editor.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert sign_in(client, editor.username, PASSWORD).status_code == 302


def test_an_ipv6_client_cannot_rotate_addresses_within_its_slash_64(client, settings):
    editor = UserFactory(editor=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, editor.username, "guess", address=f"2001:db8:1:2::{n + 1:x}")
    response = sign_in(client, editor.username, PASSWORD, address="2001:db8:1:2:ffff::9")
    assert response.status_code == 429
    other_network = sign_in(client, editor.username, PASSWORD, address="2001:db8:1:3::1")
    assert other_network.status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client, settings):
    editor = UserFactory(editor=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, editor.username, "guess")
    assert sign_in(client, editor.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, editor.username, "guess").status_code == 200


def api_get(client, token: str, address="198.51.100.7"):
    return client.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Token {token}", REMOTE_ADDR=address)


def test_wrong_api_tokens_lock_the_address_out_of_token_requests(client, settings):
    good = Token.objects.create(user=UserFactory(editor=True)).key
    assert api_get(client, good).status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong = api_get(client, "0" * 40)
        assert wrong.status_code == 401
        assert wrong.json()["detail"] == "Invalid token."
    locked = api_get(client, good)
    assert locked.status_code == 429
    assert locked.json()["detail"].startswith("Too many requests")
    assert int(locked["Retry-After"]) > 0
    assert api_get(client, good, address="203.0.113.9").status_code == 200
    # Counted beside the sign-in failures, where administrators look and reset.
    assert AccessAttempt.objects.filter(username="(API token)").exists()


def test_the_session_is_shorter_than_djangos_two_weeks(client, settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    editor = UserFactory(editor=True)
    sign_in(client, editor.username, PASSWORD)
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 12 * 3600


def test_a_second_factor_is_required_by_default_in_production_only():
    from newsroom.tests.test_settings import PRODUCTION, load_settings

    production = load_settings("STAFF_OTP_REQUIRED", "SESSION_COOKIE_AGE", **PRODUCTION)
    assert production == {"STAFF_OTP_REQUIRED": True, "SESSION_COOKIE_AGE": 12 * 3600}
    development = load_settings("STAFF_OTP_REQUIRED", DEBUG="1")
    assert development == {"STAFF_OTP_REQUIRED": False}
