"""Building messages, reading SMTP replies, signing tokens and the command that
feeds suppressions."""

import email
import io
from email import policy

import pytest
from django.core import signing
from django.core.management import CommandError, call_command

from newsletter.mail import EditionMessage, EncodedBody, Recipient, encode_qp, placeholder
from newsletter.models import Edition, Suppression
from newsletter.tests.factories import EditionFactory, ListFactory
from newsletter.tokens import (
    PREFERENCES_SALT,
    UNSUBSCRIBE_SALT,
    preferences_token_make,
    preferences_token_read,
    token_signer,
    unsubscribe_token_make,
    unsubscribe_token_read,
)
from newsletter.transports import is_hard_bounce


def test_a_pre_encoded_body_decodes_to_exactly_the_substituted_text():
    marker = "XNLholeX"
    body = (
        "Café = crème brûlée, " + "long line " * 20 + f"{marker}\r\n"
        f".starts with a dot\r\ntrailing space {marker} \r\n{marker}{marker}end"
    )
    value = "https://daily.example/newsletter/unsubscribe/12.3:Ab_c-d/" + "x" * 90 + "=q"
    encoded = EncodedBody(body, {marker: "hole"})

    raw = encoded.render({"hole": encode_qp(value, room_for_break=True)})

    assert all(len(line) <= 76 for line in raw.split(b"\r\n"))
    message = email.message_from_bytes(
        b'Content-Type: text/plain; charset="utf-8"\r\n'
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + raw,
        policy=policy.default,
    )
    decoded = message.get_content().replace("\r\n", "\n")
    assert decoded == body.replace(marker, value).replace("\r\n", "\n")


@pytest.mark.parametrize("pad", range(70, 82))
def test_lines_stay_within_76_characters_wherever_a_value_falls(pad):
    marker = "XNLholeX"
    body = f"{'a' * pad}{marker}{'é' * pad}{marker}\n{'b=' * pad}{marker}"
    for value in ("x" * pad, "y" * (pad - 3) + "=", "reader@example.org"):
        raw = EncodedBody(body, {marker: "hole"}).render(
            {"hole": encode_qp(value, room_for_break=True)}
        )
        assert max(len(line) for line in raw.split(b"\r\n")) <= 76
        message = email.message_from_bytes(
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + raw,
            policy=policy.default,
        )
        decoded = message.get_payload(decode=True).decode().replace("\r\n", "\n")
        assert decoded == body.replace(marker, value)


@pytest.mark.django_db
def test_every_message_of_an_edition_is_a_valid_mime_message(settings):
    settings.SITE_URL = "https://daily.example"
    edition = EditionFactory(list=ListFactory(digest=True), subject="Grüße aus dem Hafen")
    edition.body_html = f"<p>Hi {placeholder(edition.pk, 'recipient')}</p>"
    edition.body_text = f"Hi {placeholder(edition.pk, 'recipient')}\n"

    raw = EditionMessage(edition=edition).build(Recipient(7, "reader@example.org"))

    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "Grüße aus dem Hafen"
    assert message.get_body(("plain",)).get_content() == "Hi reader@example.org\r\n"
    assert message.get_body(("html",)).get_content() == "<p>Hi reader@example.org</p>"


@pytest.mark.parametrize(
    ("code", "reply", "stage", "hard"),
    [
        (550, b"5.1.1 User unknown", "RCPT", True),
        (550, b"5.2.1 Mailbox disabled", "RCPT", True),
        (550, b"No such user", "RCPT", True),
        (553, b"Bad address", "RCPT", True),
        (550, b"5.7.1 Blocked for spam", "RCPT", False),
        (554, b"5.7.1 Rejected by policy", "DATA", False),
        (552, b"5.2.2 Mailbox full", "RCPT", False),
        (550, b"Message refused", "DATA", False),
        (451, b"4.1.1 Try later", "RCPT", False),
    ],
)
def test_only_address_failures_count_as_hard_bounces(code, reply, stage, hard):
    assert is_hard_bounce(code, reply, stage=stage) is hard


def test_a_senders_signer_makes_the_tokens_django_reads(settings):
    for salt in (UNSUBSCRIBE_SALT, PREFERENCES_SALT):
        django_signer = signing.Signer(salt=salt, algorithm="sha256")
        assert token_signer(salt).sign("12.3-4") == django_signer.sign("12.3-4")
    token = unsubscribe_token_make(
        subscriber_id=12, list_ids=[4, 3], signer=token_signer(UNSUBSCRIBE_SALT)
    )
    assert token == unsubscribe_token_make(subscriber_id=12, list_ids=[3, 4])
    assert unsubscribe_token_read(token).list_ids == (3, 4)


def test_links_in_messages_already_mailed_keep_working(settings):
    """Unsubscribe and preference links never expire: tokens made by earlier releases must
    still read (these two were mailed with this secret key)."""
    settings.SECRET_KEY = "a-secret-key-of-a-newsroom-that-mailed-these-tokens-0123456789"
    mailed = "12.3-4:5icxv3KDigiUg3NV70EPnLCljTUkZ57KG95t5fu2ajM"
    assert unsubscribe_token_make(subscriber_id=12, list_ids=[4, 3]) == mailed
    assert unsubscribe_token_read(mailed).subscriber_id == 12
    assert unsubscribe_token_read(mailed).list_ids == (3, 4)
    mailed_preferences = "12:bPaxvSFi5QJEUqTXg4E268-jYEUOZrzL7_F3a0hx2_M"
    assert preferences_token_make(subscriber_id=12) == mailed_preferences
    assert preferences_token_read(mailed_preferences) == 12


def test_tokens_only_use_url_and_header_safe_characters():
    import re

    token = unsubscribe_token_make(subscriber_id=123456, list_ids=[1, 2])
    assert re.fullmatch(r"[A-Za-z0-9:._-]+", token)


@pytest.mark.django_db
def test_the_command_suppresses_addresses_from_arguments_and_a_file(tmp_path):
    export = tmp_path / "bounces.csv"
    export.write_text(
        "email,reason\ngone@example.org,bounce\nnot-an-address,\nGONE@example.org,x\n"
    )
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "newsletter_suppress",
        "typo@exmaple.org",
        "@bad",
        file=str(export),
        reason="hard_bounce",
        detail="ESP export",
        stdout=out,
        stderr=err,
    )

    assert set(Suppression.objects.values_list("email", "reason")) == {
        ("typo@exmaple.org", "hard_bounce"),
        ("gone@example.org", "hard_bounce"),
    }
    assert "Suppressed 2 address(es); 1 already suppressed." in out.getvalue()
    assert "@bad" in err.getvalue()


def test_the_command_needs_addresses():
    with pytest.raises(CommandError):
        call_command("newsletter_suppress")


@pytest.mark.django_db
def test_the_sweep_and_digest_run_from_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["newsletter-sweep"]["task"] == "newsletter.sweep"
    assert schedule["newsletter-compose-digest"]["task"] == "newsletter.compose_digest"
    from newsroom.celery import app

    app.loader.import_default_modules()
    assert {"newsletter.sweep", "newsletter.compose_digest", "newsletter.send_edition"} <= set(
        app.tasks
    )
    assert Edition.objects.count() == 0
