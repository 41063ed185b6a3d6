"""A real SMTP server on loopback (aiosmtpd) for newsletter tests.

It records every message it accepts, per recipient, and can answer chosen recipients with a
4xx or 5xx, hold a recipient's DATA until the test releases it (to kill a worker while a message
is in flight), or drop the connection during DATA.
"""

import asyncio
import email
import logging
import socket
import threading
import time
from collections import defaultdict

import pytest
from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages: dict[str, list[bytes]] = defaultdict(list)
        self.rcpt_replies: dict[str, list[str]] = defaultdict(list)
        self.data_replies: dict[str, list[str]] = defaultdict(list)
        self.drop_in_data: set[str] = set()
        self.held_recipients: set[str] = set()
        self.held = threading.Event()
        self.released = threading.Event()
        self.delay = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            queue = self.rcpt_replies.get(address.lower())
            reply = queue.pop(0) if queue else None
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        recipients = [address.lower() for address in envelope.rcpt_tos]
        with self.lock:
            replies = [self.data_replies[r].pop(0) for r in recipients if self.data_replies.get(r)]
            drop = any(r in self.drop_in_data for r in recipients)
        if replies:
            return replies[0]
        if drop:
            # The message arrived, then the connection breaks before the reply.
            self._record(recipients, envelope.content)
            with self.lock:
                self.drop_in_data.difference_update(recipients)
            server.transport.close()
            return "250 OK"
        self._record(recipients, envelope.content)
        if any(r in self.held_recipients for r in recipients):
            self.held.set()
            deadline = time.monotonic() + 60
            while not self.released.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted"

    def _record(self, recipients, content: bytes) -> None:
        with self.lock:
            for recipient in recipients:
                self.messages[recipient].append(content)


class SmtpServer:
    def __init__(self):
        self.handler = RecordingHandler()
        self.host = "127.0.0.1"
        self.port = _free_port()
        self.controller = Controller(
            self.handler, hostname=self.host, port=self.port, ready_timeout=10
        )

    # -- what arrived ------------------------------------------------------------------
    def received(self, address: str) -> list[email.message.Message]:
        with self.handler.lock:
            raw = list(self.handler.messages.get(address.lower(), []))
        return [email.message_from_bytes(content) for content in raw]

    def counts(self) -> dict[str, int]:
        with self.handler.lock:
            return {rcpt: len(msgs) for rcpt, msgs in self.handler.messages.items() if msgs}

    def total(self) -> int:
        with self.handler.lock:
            return sum(len(msgs) for msgs in self.handler.messages.values())

    # -- how to answer -----------------------------------------------------------------
    def reply_to_rcpt(self, address: str, *replies: str) -> None:
        """The next RCPT TO for ``address`` get these replies, then 250."""
        with self.handler.lock:
            self.handler.rcpt_replies[address.lower()].extend(replies)

    def reply_to_data(self, address: str, *replies: str) -> None:
        with self.handler.lock:
            self.handler.data_replies[address.lower()].extend(replies)

    def drop_connection_in_data(self, address: str) -> None:
        with self.handler.lock:
            self.handler.drop_in_data.add(address.lower())

    def hold(self, address: str) -> None:
        """Accept ``address``'s message but keep the reply until release()."""
        self.handler.held_recipients.add(address.lower())

    def wait_held(self, timeout: float = 60) -> None:
        if not self.handler.held.wait(timeout):
            pytest.fail(f"no held message arrived within {timeout}s")

    def release(self) -> None:
        self.handler.released.set()

    def set_delay(self, seconds: float) -> None:
        self.handler.delay = seconds

    @property
    def email_url(self) -> str:
        return f"smtp://{self.host}:{self.port}"


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.controller.start()
    yield server
    server.release()
    server.controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """Send this test process's mail to the loopback server (not Django's locmem outbox)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.NEWSLETTER_FROM_EMAIL = "The Daily Example <news@daily.example>"
    settings.NEWSLETTER_POSTAL_ADDRESS = "The Daily Example, 1 Harbour Road, Example City"
    settings.SITE_URL = "https://daily.example"
    return smtp_server


# -- Lists, editions and sign-ups ------------------------------------------------------------


@pytest.fixture
def edition(digest):
    """A digest edition with one published article."""
    from articles.tests.factories import ArticleFactory
    from newsletter.tests.factories import EditionFactory

    article = ArticleFactory(published=True, title="Harbour plan approved", dek="A vote at last.")
    return EditionFactory(list=digest, articles=[article])
