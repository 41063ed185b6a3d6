"""Newsletter messages: rendered once per edition, personalised per reader by substitution,
and handed to the mail server over one long-lived connection.

A fan-out to a million readers cannot afford a template render per recipient (figures in
docs/performance.md, "Newsletter fan-out"). An edition's HTML and text are rendered once (when
it is prepared) with placeholders for the per-reader parts; each message is then a handful of
``str.replace`` calls, a quoted-printable encoding in C and a few header lines.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import logging
import re
import secrets
import time
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from html import escape as html_escape

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from core.links import absolute_url

from .tokens import (
    PREFERENCES_SALT,
    UNSUBSCRIBE_SALT,
    preferences_token_make,
    token_signer,
    unsubscribe_token_make,
)

logger = logging.getLogger(__name__)

CRLF = "\r\n"


# ---------------------------------------------------------------------------
# Addresses and identities
# ---------------------------------------------------------------------------
def sender_address() -> str:
    return parseaddr(settings.NEWSLETTER_FROM_EMAIL)[1]


def sender_domain() -> str:
    return sender_address().rpartition("@")[2] or "localhost"


def envelope_sender() -> str:
    return settings.NEWSLETTER_BOUNCE_ADDRESS or sender_address()


def unsubscribe_mailto() -> str:
    return settings.NEWSLETTER_UNSUBSCRIBE_MAILTO or f"unsubscribe@{sender_domain()}"


def message_id_for(*, edition_id: int, subscriber_id: int, domain: str | None = None) -> str:
    """Deterministic: the same (edition, subscriber) always gets the same Message-ID, so a copy
    resent after a crash can be matched with the first one (and many providers drop it)."""
    return f"<newsletter.{edition_id}.{subscriber_id}@{domain or sender_domain()}>"


def list_id_for(lst) -> str:
    """RFC 2919 List-Id: the list's name and a label unique to this newsroom."""
    return f"{_encode_phrase(lst.name)} <{lst.slug}.{sender_domain()}>"


def unsubscribe_url(token: str) -> str:
    return absolute_url(reverse("newsletter:unsubscribe", kwargs={"token": token}))


def preferences_url(token: str) -> str:
    return absolute_url(reverse("newsletter:preferences", kwargs={"token": token}))


def _encode_phrase(text: str) -> str:
    text = one_line(text)
    if text.isascii():
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return Header(text, "utf-8").encode()


def one_line(text: str) -> str:
    """Header values never carry line breaks (no header injection from an edited subject)."""
    return " ".join(text.split())


def _encode_subject(subject: str) -> str:
    subject = one_line(subject)
    if subject.isascii() and len(subject) < 900:
        return subject
    return Header(subject, "utf-8", header_name="Subject").encode(linesep=CRLF)


def _encode_from(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((one_line(name), address), charset="utf-8")


# ---------------------------------------------------------------------------
# Rendering (once per edition)
# ---------------------------------------------------------------------------
def placeholder(edition_id: int, name: str) -> str:
    """A per-edition marker that editors cannot type: an HMAC of the edition id.

    It survives HTML escaping (hex digits and letters only) and is swapped for the reader's
    value when each message is built.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"newsletter-placeholder:{edition_id}".encode(), "sha256"
    ).hexdigest()[:16]
    return f"XNL{digest}{name}X"


def edition_render(*, edition, articles, context: dict | None = None) -> tuple[str, str]:
    """Render an edition's HTML and text bodies with placeholders for the reader's parts."""
    ctx = {
        "edition": edition,
        "list": edition.list,
        "articles": articles,
        "site_name": settings.SITE_NAME,
        "postal_address": settings.NEWSLETTER_POSTAL_ADDRESS,
        "unsubscribe_url": placeholder(edition.pk, "unsubscribe"),
        "preferences_url": placeholder(edition.pk, "preferences"),
        "recipient": placeholder(edition.pk, "recipient"),
        **(context or {}),
    }
    html = render_to_string("newsletter/email/edition.html", ctx)
    text = render_to_string("newsletter/email/edition.txt", ctx)
    return html, _tidy_text(text)


def _tidy_text(text: str) -> str:
    """Template tags leave blank runs in plain text; keep at most one empty line."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


# ---------------------------------------------------------------------------
# Building messages (per reader)
# ---------------------------------------------------------------------------
SOFT_BREAK = b"=\r\n"  # a quoted-printable line break that is not in the decoded text


def encode_qp(value: str, *, room_for_break: bool = False) -> bytes:
    """Quoted-printable with CRLF line ends (the input's line ends are LF or CRLF).

    ``room_for_break``: the last line is kept to 75 characters, so a soft line break can
    follow it within the 76 that RFC 2045 allows.
    """
    data = value.replace("\r\n", "\n").encode()
    encoded = binascii.b2a_qp(data, istext=True).replace(b"\n", b"\r\n")
    if room_for_break:
        start = encoded.rfind(b"\r\n") + 2 if b"\r\n" in encoded else 0
        if len(encoded) - start > 75:
            cut = start + 73
            # Never split an "=XX" escape.
            if encoded[cut - 1 : cut] == b"=":
                cut -= 1
            elif encoded[cut - 2 : cut - 1] == b"=":
                cut -= 2
            encoded = encoded[:cut] + SOFT_BREAK + encoded[cut:]
    return encoded


class EncodedBody:
    """A body encoded to quoted-printable once, with holes for the reader's values.

    Encoding 10 KB of HTML per message costs more than everything else in building it, so the
    parts between placeholders are encoded once; per message only the short values are encoded
    and joined in. Each value sits between two soft line breaks, so no line grows past the 76
    characters quoted-printable allows and the decoded text is exactly the substituted body.
    """

    def __init__(self, body: str, placeholders: dict[str, str]):
        pattern = re.compile("|".join(re.escape(marker) for marker in placeholders))
        self.segments: list[bytes] = []
        self.holes: list[str] = []
        position = 0
        for match in pattern.finditer(body):
            self.segments.append(encode_qp(body[position : match.start()], room_for_break=True))
            self.holes.append(placeholders[match.group()])
            position = match.end()
        self.segments.append(encode_qp(body[position:]))

    def render(self, encoded_values: dict[str, bytes]) -> bytes:
        out = [self.segments[0]]
        for name, segment in zip(self.holes, self.segments[1:], strict=True):
            out += (SOFT_BREAK, encoded_values[name], SOFT_BREAK, segment)
        return b"".join(out)


@dataclass(frozen=True)
class Recipient:
    subscriber_id: int
    email: str


class EditionMessage:
    """Everything about an edition's messages that does not depend on the reader, prepared once
    per worker; ``build()`` then makes one reader's message by substitution alone."""

    def __init__(self, *, edition, subject_prefix: str = ""):
        self.edition_id = edition.pk
        self.list_ids = tuple(edition.list_ids())
        self.from_header = _encode_from(settings.NEWSLETTER_FROM_EMAIL)
        self.envelope_from = envelope_sender()
        self.subject = subject_prefix + edition.subject
        self.list_id = list_id_for(edition.list)
        self.mailto = unsubscribe_mailto()
        self.domain = sender_domain()
        self.feedback_id = f"{edition.pk}:{edition.list.slug}:newsletter:{self.domain}"
        self._ph_unsubscribe = placeholder(edition.pk, "unsubscribe")
        self._ph_preferences = placeholder(edition.pk, "preferences")
        self._ph_recipient = placeholder(edition.pk, "recipient")
        self.html = edition.body_html.replace("\r\n", "\n").replace("\n", CRLF)
        self.text = edition.body_text.replace("\r\n", "\n").replace("\n", CRLF)
        holes = {
            self._ph_unsubscribe: "unsubscribe_url",
            self._ph_preferences: "preferences_url",
            self._ph_recipient: "recipient",
        }
        self._unsubscribe_signer = token_signer(UNSUBSCRIBE_SALT)
        self._preferences_signer = token_signer(PREFERENCES_SALT)
        self._text_qp = EncodedBody(self.text, holes)
        self._html_qp = EncodedBody(self.html, holes)
        self._unsubscribe_prefix = unsubscribe_url("TOKEN").rsplit("TOKEN", 1)
        self._preferences_prefix = preferences_url("TOKEN").rsplit("TOKEN", 1)
        boundary = f"=_nl{secrets.token_hex(12)}"
        subject = _encode_subject(self.subject)
        # Header lines that are the same in every message of the edition.
        self._static_headers = (
            f"From: {self.from_header}{CRLF}"
            f"Subject: {subject}{CRLF}"
            f"List-Id: {self.list_id}{CRLF}"
            f"List-Unsubscribe-Post: List-Unsubscribe=One-Click{CRLF}"
            f"Feedback-ID: {self.feedback_id}{CRLF}"
            f"MIME-Version: 1.0{CRLF}"
            f'Content-Type: multipart/alternative; boundary="{boundary}"{CRLF}'
            f"{CRLF}"
        ).encode()
        part = (
            'Content-Type: text/{0}; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        )
        self._text_head = f"--{boundary}{CRLF}{part.format('plain')}".encode()
        self._html_head = f"{CRLF}--{boundary}{CRLF}{part.format('html')}".encode()
        self._tail = f"{CRLF}--{boundary}--{CRLF}".encode()
        self._date = ("", 0)

    def _date_header(self) -> str:
        now = int(time.time())
        if self._date[1] != now:
            self._date = (formatdate(now, usegmt=True), now)
        return self._date[0]

    def personal_parts(self, recipient: Recipient) -> dict:
        token = unsubscribe_token_make(
            subscriber_id=recipient.subscriber_id,
            list_ids=self.list_ids,
            signer=self._unsubscribe_signer,
        )
        prefs = preferences_token_make(
            subscriber_id=recipient.subscriber_id, signer=self._preferences_signer
        )
        return {
            "unsubscribe_token": token,
            "unsubscribe_url": token.join(self._unsubscribe_prefix),
            "preferences_url": prefs.join(self._preferences_prefix),
            "message_id": message_id_for(
                edition_id=self.edition_id,
                subscriber_id=recipient.subscriber_id,
                domain=self.domain,
            ),
        }

    def bodies(self, recipient: Recipient, parts: dict) -> tuple[str, str]:
        text = (
            self.text.replace(self._ph_unsubscribe, parts["unsubscribe_url"])
            .replace(self._ph_preferences, parts["preferences_url"])
            .replace(self._ph_recipient, recipient.email)
        )
        html = (
            self.html.replace(self._ph_unsubscribe, parts["unsubscribe_url"])
            .replace(self._ph_preferences, parts["preferences_url"])
            .replace(self._ph_recipient, html_escape(recipient.email))
        )
        return text, html

    def list_unsubscribe(self, parts: dict) -> str:
        # RFC 8058: an https URL for one-click POST, and a mailto for clients that prefer it.
        # Tokens are made of URL-safe characters only (tokens.py), so only the space is quoted.
        subject = f"unsubscribe%20{parts['unsubscribe_token']}"
        return f"<{parts['unsubscribe_url']}>,{CRLF} <mailto:{self.mailto}?subject={subject}>"

    def build(self, recipient: Recipient) -> bytes:
        """The complete RFC 5322 message for one reader, with CRLF line ends."""
        parts = self.personal_parts(recipient)
        unsubscribe = encode_qp(parts["unsubscribe_url"], room_for_break=True)
        preferences = encode_qp(parts["preferences_url"], room_for_break=True)
        text = self._text_qp.render(
            {
                "unsubscribe_url": unsubscribe,
                "preferences_url": preferences,
                "recipient": encode_qp(recipient.email, room_for_break=True),
            }
        )
        html = self._html_qp.render(
            {
                "unsubscribe_url": unsubscribe,
                "preferences_url": preferences,
                "recipient": encode_qp(html_escape(recipient.email), room_for_break=True),
            }
        )
        headers = (
            f"Date: {self._date_header()}{CRLF}"
            f"To: {recipient.email}{CRLF}"
            f"Message-ID: {parts['message_id']}{CRLF}"
            f"List-Unsubscribe: {self.list_unsubscribe(parts)}{CRLF}"
        ).encode()
        return b"".join(
            (
                headers,
                self._static_headers,
                self._text_head,
                text,
                self._html_head,
                html,
                self._tail,
            )
        )

    def build_email_message(self, recipient: Recipient, connection=None) -> EmailMultiAlternatives:
        """The same message as a Django EmailMessage, for backends that are not SMTP (console,
        file, an ESP's HTTP API through django-anymail)."""
        parts = self.personal_parts(recipient)
        text, html = self.bodies(recipient, parts)
        message = EmailMultiAlternatives(
            subject=one_line(self.subject),
            body=text.replace(CRLF, "\n"),
            from_email=settings.NEWSLETTER_FROM_EMAIL,
            to=[recipient.email],
            connection=connection,
            headers={
                "Message-ID": parts["message_id"],
                "List-Id": self.list_id,
                "List-Unsubscribe": self.list_unsubscribe(parts).replace(CRLF, ""),
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Feedback-ID": self.feedback_id,
            },
        )
        message.attach_alternative(html.replace(CRLF, "\n"), "text/html")
        return message


# ---------------------------------------------------------------------------
# Transactional mail (the double opt-in confirmation)
# ---------------------------------------------------------------------------
def confirmation_email_send(*, subscriber, lists, confirm_url: str) -> None:
    context = {
        "site_name": settings.SITE_NAME,
        "confirm_url": confirm_url,
        "lists": lists,
        "max_age_days": settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS,
        "postal_address": settings.NEWSLETTER_POSTAL_ADDRESS,
    }
    subject = one_line(render_to_string("newsletter/email/confirm_subject.txt", context))
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("newsletter/email/confirm.txt", context),
        from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[subscriber.email],
        headers={
            "Message-ID": f"<newsletter-confirm.{subscriber.pk}."
            f"{hashlib.sha256(confirm_url.encode()).hexdigest()[:16]}@{sender_domain()}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("newsletter/email/confirm.html", context), "text/html"
    )
    message.send(fail_silently=False)
