"""One mailbox is one reader however the address is typed: one subscriber, one confirmation limit,
one suppression, through the service, the sign-up form, the API, the admin and the command line;
and different mailboxes are never merged."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from core.emails import InvalidEmail, canonical_email
from newsletter.models import Subscriber, Suppression
from newsletter.services import suppression_add
from newsletter.services.signup import subscriber_signup
from newsletter.tests.helpers import deliver_confirmations
from newsroom.tests.corpus import DIFFERENT_MAILBOXES, EQUIVALENT_ADDRESSES, INVALID_ADDRESSES

pytestmark = pytest.mark.django_db

ADA = EQUIVALENT_ADDRESSES[0]


def spelling_id(value: str) -> str:
    return value.encode("unicode_escape").decode()


@pytest.fixture(autouse=True)
def _memory_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = 1000


def confirmations_sent() -> int:
    mail.outbox = []
    return len(deliver_confirmations())


@pytest.mark.parametrize("group", EQUIVALENT_ADDRESSES, ids=lambda g: g[0])
def test_every_spelling_of_a_mailbox_has_one_canonical_form(group):
    assert {canonical_email(spelling) for spelling in group} == {canonical_email(group[0])}
    assert canonical_email(canonical_email(group[0])) == canonical_email(group[0])


def test_different_mailboxes_stay_different():
    canonical = [canonical_email(a) for a in [ADA[0], *DIFFERENT_MAILBOXES]]
    assert len(set(canonical)) == len(canonical)


@pytest.mark.parametrize("typed", INVALID_ADDRESSES, ids=spelling_id)
def test_addresses_that_name_no_mailbox_are_refused_with_a_reason(typed):
    with pytest.raises(InvalidEmail) as refused:
        canonical_email(typed)
    assert refused.value.message.startswith("Enter a valid email address.")


def test_spellings_of_one_address_share_its_confirmation_limit(digest, settings):
    settings.NEWSLETTER_CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3
    sent = 0
    for spelling in ADA:
        subscriber_signup(email=spelling, lists=[digest], source="box", ip="203.0.113.5")
        sent += confirmations_sent()
        Subscriber.objects.update(confirmation_sent_at=None)
    assert sent == 3
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ada@example.org"]


@pytest.mark.parametrize("spelling", ADA, ids=spelling_id)
def test_a_suppressed_mailbox_cannot_sign_up_under_another_spelling(digest, spelling):
    suppression_add(email="ada@example.org", reason="complaint")
    subscriber_signup(email=spelling, lists=[digest], source="box", ip="203.0.113.5")
    assert not Subscriber.objects.exists()
    assert confirmations_sent() == 0


@pytest.mark.parametrize("spelling", ADA, ids=spelling_id)
def test_suppressing_any_spelling_suppresses_the_mailbox(digest, spelling):
    suppression_add(email=spelling, reason="hard_bounce")
    assert list(Suppression.objects.values_list("email", flat=True)) == ["ada@example.org"]
    subscriber_signup(email="ada@example.org", lists=[digest], source="box")
    assert not Subscriber.objects.exists()


def test_a_plus_tag_is_another_mailbox(digest):
    suppression_add(email="ada@example.org", reason="complaint")
    subscriber_signup(email="ada+news@example.org", lists=[digest], source="box")
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ada+news@example.org"]


@pytest.mark.parametrize("spelling", ADA, ids=spelling_id)
def test_the_sign_up_form_stores_one_spelling(client, digest, spelling):
    response = client.post(
        reverse("newsletter:signup"), {"email": spelling, "lists": [digest.slug]}
    )
    assert response.status_code in (302, 303)
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ada@example.org"]


@pytest.mark.parametrize("typed", INVALID_ADDRESSES, ids=spelling_id)
def test_the_sign_up_form_and_the_api_refuse_invalid_addresses(client, digest, typed):
    form = client.post(reverse("newsletter:signup"), {"email": typed, "lists": [digest.slug]})
    assert form.status_code == 400
    assert "Enter a valid email address." in form.content.decode()
    api = APIClient().post(
        "/api/v1/newsletter/subscribe/", {"email": typed, "lists": [digest.slug]}, format="json"
    )
    assert api.status_code == 400 and "email" in api.json()["errors"]
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("spelling", ADA, ids=spelling_id)
def test_the_api_stores_one_spelling(digest, spelling):
    response = APIClient().post(
        "/api/v1/newsletter/subscribe/", {"email": spelling, "lists": [digest.slug]}, format="json"
    )
    assert response.status_code == 202
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ada@example.org"]


def test_the_admin_and_the_command_suppress_the_mailbox(client, digest):
    from authors.tests.factories import UserFactory

    client.force_login(UserFactory(editor=True))
    response = client.post(
        reverse("admin:newsletter_suppression_add"),
        {"email": '"Ada"@EXAMPLE.org', "reason": "manual", "detail": "Asked by phone"},
    )
    assert response.status_code == 302
    call_command(
        "newsletter_suppress", "ADA@example.org.", reason="complaint", stdout=io.StringIO()
    )
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason) == ("ada@example.org", "complaint")


def test_edition_and_list_text_are_stored_without_characters_xml_cannot_carry(client, digest):
    from authors.tests.factories import UserFactory
    from core.text import XML_ILLEGAL_RE
    from newsletter.models import List
    from newsletter.services import edition_create

    editor = UserFactory(editor=True)
    edition = edition_create(user=editor, list=digest, subject="Mon\x0bday", intro="One\x0ctwo")
    assert (edition.subject, edition.intro) == ("Mon day", "One\ntwo")
    client.force_login(UserFactory(admin=True))
    client.post(
        reverse("admin:newsletter_list_add"),
        {"name": "Week\x1bly", "slug": "weekly", "position": "0", "uncertain_policy": "resend",
         "is_public": "on"},
    )  # fmt: skip
    assert not XML_ILLEGAL_RE.search(List.objects.get(slug="weekly").name)
