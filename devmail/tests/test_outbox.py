"""The development mail outbox: a sent mail is a file in var/mail/ and one plain log line with
the address of a staff page where its links are one click away."""

import logging
import re

import pytest
from django.core.mail import EmailMultiAlternatives, send_mail
from django.urls import reverse

from newsletter.models import Subscriber
from newsletter.services import CONFIRMATION_TOPIC
from newsletter.tests.factories import ListFactory
from outbox.models import Event
from outbox.services import event_process

pytestmark = pytest.mark.django_db

BACKEND = "devmail.backend.EmailBackend"


@pytest.fixture
def outbox(settings, tmp_path):
    settings.EMAIL_BACKEND = BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.SITE_URL = "http://127.0.0.1:8080"
    return tmp_path / "mail"


def _send(subject="Hello", body="Read https://example.org/x", to=("reader@example.org",)):
    return send_mail(subject, body, "Newsroom <newsroom@localhost>", list(to))


def test_a_mail_is_written_to_the_outbox_and_announced_with_its_address(outbox, caplog):
    caplog.set_level(logging.INFO, logger="devmail")

    assert _send(subject="Confirm your subscription") == 1

    [path] = outbox.glob("*.eml")
    assert b"Subject: Confirm your subscription" in path.read_bytes()
    [record] = [r for r in caplog.records if r.name == "devmail.backend"]
    assert record.getMessage() == (
        "Mail to reader@example.org: Confirm your subscription "
        f"(read it at http://127.0.0.1:8080/dev/mail/{path.stem}/)"
    )


def test_staff_find_the_newest_mail_first_and_click_its_links(outbox, admin_client):
    _send(subject="Older")
    _send(subject="Confirm your subscription", body="Confirm: https://news.example/confirm/abc/")

    listing = admin_client.get(reverse("devmail:list")).content.decode()
    assert listing.index("Confirm your subscription") < listing.index("Older")
    mail_id = re.search(r'href="/dev/mail/([^/"]+)/">Confirm', listing)[1]

    page = admin_client.get(reverse("devmail:detail", args=[mail_id])).content.decode()
    assert '<a href="https://news.example/confirm/abc/"' in page
    assert "reader@example.org" in page


def test_the_html_version_is_shown_sandboxed(outbox, admin_client):
    message = EmailMultiAlternatives("News", "Plain", "a@example.org", ["b@example.org"])
    message.attach_alternative("<p>Rich <script>alert(1)</script></p>", "text/html")
    message.send()
    [path] = outbox.glob("*.eml")

    response = admin_client.get(reverse("devmail:html", args=[path.stem]))

    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    assert b"<p>Rich" in response.content


def test_the_confirmation_mail_of_a_sign_up_is_in_the_outbox(outbox, client, admin_client):
    ListFactory(digest=True)
    client.post(
        reverse("newsletter:signup"), {"email": "new@example.org", "lists": ["daily-digest"]}
    )
    for event in Event.objects.filter(topic=CONFIRMATION_TOPIC):
        event_process(event_id=event.pk)

    listing = admin_client.get(reverse("devmail:list")).content.decode()
    mail_id = re.search(r'href="/dev/mail/([^/"]+)/"', listing)[1]
    page = admin_client.get(reverse("devmail:detail", args=[mail_id])).content.decode()
    assert Subscriber.objects.filter(email="new@example.org").exists()
    assert re.search(r'<a href="http://127\.0\.0\.1:8080/newsletter/confirm/[^"]+"', page)


def test_readers_and_non_staff_never_see_the_outbox(outbox, client, django_user_model):
    _send()
    [path] = outbox.glob("*.eml")
    urls = [reverse("devmail:list"), reverse("devmail:detail", args=[path.stem])]
    for url in urls:
        assert client.get(url)["Location"].startswith("/admin/login/")
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    for url in urls:
        assert client.get(url)["Location"].startswith("/admin/login/")


def test_the_pages_are_not_there_when_mail_goes_elsewhere(settings, admin_client):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert admin_client.get(reverse("devmail:list")).status_code == 404


@pytest.mark.parametrize("mail_id", ["..", "20261205-085701-962341-3f2a.eml", "x" * 30])
def test_an_unknown_or_malformed_message_is_a_404(outbox, admin_client, mail_id):
    _send()
    assert admin_client.get(f"/dev/mail/{mail_id}/").status_code == 404


def test_staff_empty_the_outbox_with_a_post(outbox, admin_client):
    _send()
    _send()
    assert admin_client.get(reverse("devmail:empty")).status_code == 405

    response = admin_client.post(reverse("devmail:empty"))

    assert response.status_code == 302
    assert list(outbox.glob("*.eml")) == []
    assert "No mail yet" in admin_client.get(reverse("devmail:list")).content.decode()
