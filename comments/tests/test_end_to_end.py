"""End to end with real processes: a reader posts through the form, a moderator approves in the
admin, the page shows it (its cache invalidated), another reader replies, and the Celery worker
mails the first reader over SMTP to a real aiosmtpd server on loopback."""

import email
import email.policy
import logging
import re
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from articles.tests.factories import ArticleFactory
from comments.models import Comment, MailLog
from comments.tests.helpers import form_data, moderator_account
from conftest import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.slow]
logging.getLogger("mail.log").setLevel(logging.WARNING)

SITE_URL = "http://testserver"


class Sink:
    """Collects every message the SMTP server accepts."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp_sink():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.port = port
    yield sink
    controller.stop()


def approve_in_admin(client: Client, comment: Comment) -> None:
    response = client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [comment.pk]},
    )
    assert response.status_code == 302


def test_post_approve_show_reply_and_notify_over_smtp(
    transactional_db, start_worker, smtp_sink, settings
):
    settings.SITE_URL = SITE_URL
    start_worker(EMAIL_URL=f"smtp://127.0.0.1:{smtp_sink.port}", SITE_URL=SITE_URL, DEBUG="false")
    article = ArticleFactory(published=True, title="Harbour plan approved")
    moderator = moderator_account()
    ada, bea, staff = Client(), Client(), Client()
    staff.force_login(moderator)

    # Ada posts, asking for notifications; the page (cached) does not show it yet.
    page = ada.get(article.get_absolute_url())
    assert "Harbour plan approved" in page.content.decode()
    response = ada.post(
        reverse("comments:post", args=[article.pk]),
        form_data(article, author_email="ada@example.org", author_name="Ada", notify="on"),
    )
    assert response.status_code == 303
    first = Comment.objects.get()
    assert first.status == "pending"
    waiting = ada.get(f"/reader/state/?article={article.pk}").json()["pending_html"]
    assert "Your comment is awaiting moderation." in waiting
    assert "ignores the fishermen" not in ada.get(article.get_absolute_url()).content.decode()

    # The moderator approves in the admin: the page shows it at once.
    approve_in_admin(staff, first)
    html = Client().get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{first.pk}"' in html and "ignores the fishermen" in html

    # Ada's address has not confirmed: the worker asks once, with no comment text inside.
    confirm = wait_until(lambda: smtp_sink.to("ada@example.org"), timeout=60)[0]
    assert "Confirm comment notifications" in confirm["Subject"]
    assert "ignores the fishermen" not in confirm.get_content()
    link = re.search(
        r"http://testserver(/comments/notifications/confirm/\S+/)", confirm.get_content()
    )
    assert "Yes, send me" in ada.get(link.group(1)).content.decode()
    ada.post(link.group(1))

    # Bea replies with a link; once approved, Ada is told, in plain text without the link.
    response = bea.post(
        reverse("comments:post", args=[article.pk]),
        form_data(
            article,
            author_email="bea@example.org",
            author_name="Bea <b>",
            body="Not so: see https://spam.example/offer",
            parent=str(first.pk),
        ),
    )
    assert response.status_code == 303
    reply = Comment.objects.get(author_email="bea@example.org")
    approve_in_admin(staff, reply)
    wait_until(lambda: len(smtp_sink.to("ada@example.org")) == 2, timeout=60)
    message = smtp_sink.to("ada@example.org")[1]
    body = message.get_content()
    assert message["Subject"].strip() == "New reply to your comment on “Harbour plan approved”"
    assert "Bea <b> replied to your comment" in body
    assert "Not so: see [link removed]" in body and "spam.example" not in body
    assert f"{SITE_URL}{article.get_absolute_url()}#comment-{reply.pk}" in body
    assert message.get_content_type() == "text/plain"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message["List-Unsubscribe"].strip().startswith("<http://testserver/comments/notifications/")
    )
    assert MailLog.objects.filter(kind="reply", outcome="sent").count() == 1

    html = Client().get(article.get_absolute_url()).content.decode()
    assert "2 Comments" in html and "Bea &lt;b&gt;" in html
