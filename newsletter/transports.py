"""Handing newsletter messages to the mail server, and reading what it answers.

With an SMTP ``EMAIL_URL`` a sender keeps one connection per chunk and speaks MAIL, RCPT and DATA
itself, so it knows which step failed: before DATA nothing was delivered; a connection lost during
DATA leaves the message in doubt. Any other Django email backend (console and file in development,
an ESP's HTTP API through django-anymail) takes whole messages on one connection per chunk.
"""

import logging
import re
import smtplib

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

from .mail import EditionMessage, Recipient, one_line

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    def __init__(self, message: str, *, code: int | None = None):
        super().__init__(message)
        self.code = code


class TemporaryFailure(DeliveryError):
    """Try again later: a 4xx reply or a lost connection.

    ``uncertain`` means the connection was lost after the message content was on its way, so
    the server may have accepted it; the list's uncertain-message policy decides.
    """

    def __init__(self, message: str, *, code: int | None = None, uncertain: bool = False):
        super().__init__(message, code=code)
        self.uncertain = uncertain


class PermanentFailure(DeliveryError):
    """A 5xx reply: never retried. ``hard_bounce``: the address does not exist."""

    def __init__(self, message: str, *, code: int | None = None, hard_bounce: bool = False):
        super().__init__(message, code=code)
        self.hard_bounce = hard_bounce


# Addresses are validated when readers sign up; this guards the raw SMTP commands anyway.
_UNSAFE_ADDRESS = re.compile(r"[\s<>]|^$")
_ENHANCED = re.compile(rb"^\s*([245])\.(\d{1,3})\.(\d{1,3})")


def is_hard_bounce(code: int, response: bytes, *, stage: str) -> bool:
    """A permanent failure about the address itself (RFC 3463 5.1.x, 5.2.1), not about us.

    5.7.x (policy, reputation, authentication) is the provider refusing the sender: it must not
    suppress the reader, and a burst of them pauses the edition instead.
    """
    if code < 500:
        return False
    match = _ENHANCED.match(response or b"")
    if match:
        subject, detail = int(match[2]), int(match[3])
        return subject == 1 or (subject == 2 and detail == 1)
    return stage == "RCPT" and code in (550, 551, 553)


def _describe(code: int, response: bytes | str, stage: str) -> str:
    if isinstance(response, bytes):
        response = response.decode("utf-8", "replace")
    return f"{stage} {code} {one_line(response)}"[:500]


def _failure(code: int, response: bytes, stage: str) -> DeliveryError:
    message = _describe(code, response, stage)
    if code >= 500:
        return PermanentFailure(
            message, code=code, hard_bounce=is_hard_bounce(code, response, stage=stage)
        )
    return TemporaryFailure(message, code=code)


class SmtpTransport:
    """One SMTP connection, opened once and used for a whole chunk of messages.

    The connection is set up by Django's SMTP backend (host, port, TLS, login and timeout from
    the EMAIL_* settings); messages then go out as MAIL, RCPT and DATA on it, so the outcome of
    each step is known: a failure before DATA is certain not to have delivered anything.
    """

    def __init__(self, backend: SmtpBackend):
        self.backend = backend

    @property
    def connection(self) -> smtplib.SMTP:
        if self.backend.connection is None:
            try:
                self.backend.open()
                self.backend.connection.ehlo_or_helo_if_needed()
            except (smtplib.SMTPException, OSError) as exc:
                self.close()
                raise TemporaryFailure(f"cannot connect to the mail server: {exc}") from exc
        return self.backend.connection

    def send(self, message: EditionMessage, recipient: Recipient) -> None:
        self.envelope(message, recipient)
        self.content(message, recipient)

    def envelope(self, message: EditionMessage, recipient: Recipient) -> None:
        """MAIL FROM and RCPT TO: nothing is delivered yet, so every failure here is certain."""
        if _UNSAFE_ADDRESS.search(recipient.email):
            raise PermanentFailure(f"not a deliverable address: {recipient.email!r}")
        conn = self.connection
        stage = "MAIL"
        try:
            # Written directly: smtplib's mail()/rcpt() parse both addresses with the email
            # package on every call, which costs more than building the message.
            conn.putcmd("mail", f"FROM:<{message.envelope_from}>")
            code, response = conn.getreply()
            if code != 250:
                raise self._reset(_failure(code, response, stage), code)
            stage = "RCPT"
            conn.putcmd("rcpt", f"TO:<{recipient.email}>")
            code, response = conn.getreply()
            if code not in (250, 251):
                raise self._reset(_failure(code, response, stage), code)
        except DeliveryError:
            raise
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise TemporaryFailure(f"{stage}: connection lost: {exc}"[:500]) from exc

    def content(self, message: EditionMessage, recipient: Recipient) -> None:
        """DATA: after the envelope was accepted. Only the 250 says the message arrived."""
        data = message.build(recipient)
        try:
            try:
                code, response = self.connection.data(data)
            except smtplib.SMTPDataError as exc:  # no 354: nothing was sent
                error = _failure(exc.smtp_code, exc.smtp_error, "DATA")
                raise self._reset(error, exc.smtp_code) from exc
            if code != 250:
                raise self._reset(_failure(code, response, "DATA"), code)
        except DeliveryError:
            raise
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise TemporaryFailure(f"DATA: connection lost: {exc}"[:500], uncertain=True) from exc

    def abandon(self) -> None:
        """Drop an accepted envelope (the reader left while it was being accepted)."""
        try:
            self.connection.rset()
        except (smtplib.SMTPException, OSError, DeliveryError):
            self.close()

    def _reset(self, error: DeliveryError, code: int) -> DeliveryError:
        if code == 421:  # the server is closing the connection
            self.close()
            return error
        try:
            self.backend.connection.rset()
        except (smtplib.SMTPException, OSError):
            self.close()
        return error

    def close(self) -> None:
        try:
            self.backend.close()
        except Exception:  # closing a broken connection must not fail a send
            logger.debug("Closing the SMTP connection failed", exc_info=True)
        self.backend.connection = None


class BackendTransport:
    """Any other Django email backend (console, file, an ESP through django-anymail), with one
    connection per chunk. Errors are in doubt: an HTTP API may have accepted the message."""

    def __init__(self, backend):
        self.backend = backend
        self._open = False

    def envelope(self, message: EditionMessage, recipient: Recipient) -> None:
        """Backends take whole messages: everything happens in content()."""

    def abandon(self) -> None:
        return None

    def content(self, message: EditionMessage, recipient: Recipient) -> None:
        self.send(message, recipient)

    def send(self, message: EditionMessage, recipient: Recipient) -> None:
        from anymail.exceptions import AnymailRecipientsRefused

        if not self._open:
            self.backend.open()
            self._open = True
        email = message.build_email_message(recipient, connection=self.backend)
        try:
            sent = self.backend.send_messages([email])
        except AnymailRecipientsRefused as exc:
            raise PermanentFailure(f"refused by the provider: {exc}"[:500]) from exc
        except Exception as exc:  # any other backend error: retry, the outcome is unknown
            raise TemporaryFailure(f"backend error: {exc}"[:500], uncertain=True) from exc
        if not sent:
            raise TemporaryFailure("the email backend sent nothing")

    def close(self) -> None:
        if self._open:
            try:
                self.backend.close()
            finally:
                self._open = False


def transport_open():
    """A transport for the configured EMAIL_BACKEND; the caller closes it."""
    backend = get_connection(fail_silently=False)
    if isinstance(backend, SmtpBackend):
        return SmtpTransport(backend)
    return BackendTransport(backend)
