"""Mail from the comments app: confirmation-gated notifications, digest and alerts."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from articles.tests.factories import ArticleFactory
from authors.tests.factories import UserFactory
from comments import mail as comment_mail
from comments import moderator_mail
from comments.models import MailLog, NotificationRecipient
from comments.tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def confirmed(email: str) -> NotificationRecipient:
    return NotificationRecipient.objects.create(email=email, confirmed_at=timezone.now())


def approved_by(moderator, **kwargs):
    return CommentFactory(moderated_by=moderator, moderated_at=timezone.now(), **kwargs)


def test_the_first_notification_to_an_address_asks_for_confirmation_only(moderator):
    comment = approved_by(
        moderator, notify=True, author_email="ada@example.org", body="Visit https://spam.example"
    )
    comment_mail.comment_notifications_send(comment_id=comment.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert "Confirm comment notifications" in message.subject
    assert "/comments/notifications/confirm/" in message.body
    assert comment.body not in message.body and "spam.example" not in message.body
    assert MailLog.objects.get(key=f"approved:{comment.pk}").detail == "not confirmed"


def test_a_confirmation_request_is_not_repeated_within_the_interval(moderator):
    for n in range(3):
        comment = approved_by(moderator, notify=True, author_email="ada@example.org", body=f"{n}")
        comment_mail.comment_notifications_send(comment_id=comment.pk)
    assert len(mail.outbox) == 1


def test_a_confirmed_address_gets_a_plain_text_mail_without_links(moderator, settings):
    confirmed("ada@example.org")
    comment = approved_by(
        moderator,
        notify=True,
        author_email="ada@example.org",
        author_name="Ada",
        body="<b>Great</b> piece, see https://spam.example/x and cheap.xyz",
    )
    comment_mail.comment_notifications_send(comment_id=comment.pk)
    (message,) = mail.outbox
    assert message.subject == f"Your comment on “{comment.article.title}” is published"
    assert "<b>Great</b> piece, see [link removed] and [link removed]" in message.body
    assert "spam.example" not in message.body
    assert f"{settings.SITE_URL}{comment.article.get_absolute_url()}#comment-{comment.pk}" in (
        message.body
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/comments/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert message.content_subtype == "plain"
    assert not isinstance(message, EmailMultiAlternatives)


def test_running_the_task_twice_sends_once(moderator):
    confirmed("ada@example.org")
    comment = approved_by(moderator, notify=True, author_email="ada@example.org")
    comment_mail.comment_notifications_send(comment_id=comment.pk)
    comment_mail.comment_notifications_send(comment_id=comment.pk)
    assert len(mail.outbox) == 1


def test_the_author_of_the_answered_comment_hears_about_the_reply(moderator):
    confirmed("bea@example.org")
    parent = CommentFactory(notify=True, author_email="bea@example.org", author_name="Bea")
    reply = approved_by(
        moderator, article=parent.article, parent=parent, author_name="Ada", body="I disagree."
    )
    comment_mail.comment_notifications_send(comment_id=reply.pk)
    (message,) = mail.outbox
    assert message.to == ["bea@example.org"]
    assert "New reply to your comment" in message.subject
    assert "Ada replied to your comment" in message.body and "I disagree." in message.body


@pytest.mark.parametrize("case", ["parent did not ask", "own reply", "parent hidden"])
def test_no_reply_mail_when_it_is_not_wanted(moderator, case):
    confirmed("bea@example.org")
    parent = CommentFactory(
        notify=case != "parent did not ask",
        author_email="bea@example.org",
        status="rejected" if case == "parent hidden" else "approved",
    )
    reply = approved_by(
        moderator,
        article=parent.article,
        parent=parent,
        author_email="bea@example.org" if case == "own reply" else "ada@example.org",
    )
    comment_mail.comment_notifications_send(comment_id=reply.pk)
    assert mail.outbox == []


def test_a_trusted_comment_published_at_once_sends_no_approval_mail():
    confirmed("ada@example.org")
    comment = CommentFactory(notify=True, author_email="ada@example.org", moderated_by=None)
    comment_mail.comment_notifications_send(comment_id=comment.pk)
    assert mail.outbox == []


def test_a_comment_no_longer_approved_sends_nothing(moderator):
    confirmed("ada@example.org")
    comment = approved_by(moderator, notify=True, author_email="ada@example.org", status="rejected")
    assert comment_mail.comment_notifications_send(comment_id=comment.pk) == []
    assert mail.outbox == []


def test_each_recipient_is_rate_limited(moderator, settings):
    settings.COMMENTS_NOTIFY_RATE_LIMITS = ["2/3600"]
    confirmed("ada@example.org")
    for n in range(3):
        comment = approved_by(moderator, notify=True, author_email="ada@example.org", body=f"{n}")
        comment_mail.comment_notifications_send(comment_id=comment.pk)
    assert len(mail.outbox) == 2
    assert MailLog.objects.filter(detail="rate limited").count() == 1


def test_an_unsubscribed_address_gets_nothing(moderator):
    NotificationRecipient.objects.create(
        email="ada@example.org", confirmed_at=timezone.now(), unsubscribed_at=timezone.now()
    )
    comment = approved_by(moderator, notify=True, author_email="ada@example.org")
    comment_mail.comment_notifications_send(comment_id=comment.pk)
    assert mail.outbox == []


def test_confirm_and_unsubscribe_round_trip():
    CommentFactory(author_email="ada@example.org", notify=True)
    comment_mail.notification_confirm(token=comment_mail.confirm_token("ada@example.org"))
    assert NotificationRecipient.objects.get().may_receive
    comment_mail.notification_unsubscribe(token=comment_mail.unsubscribe_token("ada@example.org"))
    assert not NotificationRecipient.objects.get().may_receive
    with pytest.raises(comment_mail.InvalidToken):
        comment_mail.notification_confirm(token=comment_mail.unsubscribe_token("ada@example.org"))


# ---------------------------------------------------------------------------
# Moderators
# ---------------------------------------------------------------------------
def test_no_digest_when_the_queue_is_empty(moderator):
    CommentFactory()
    assert moderator_mail.moderator_digest_send() == 0
    assert mail.outbox == []


def test_the_digest_tells_each_moderator_the_queue_size_and_oldest_wait(moderator, settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.example"]
    UserFactory(username="inactive", email="gone@newsroom.example", moderator=True, is_active=False)
    UserFactory(username="rep", email="rep@newsroom.example", reporter=True)
    article = ArticleFactory(published=True, title="Harbour\nplan")
    CommentFactory(pending=True, article=article, created_at=timezone.now() - timedelta(hours=5))
    CommentFactory(pending=True)
    CommentFactory(flagged_at=timezone.now())
    assert moderator_mail.moderator_digest_send() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "desk@newsroom.example",
        "moira@newsroom.example",
    ]
    message = mail.outbox[0]
    assert message.subject == "3 comments waiting for moderation"
    assert "Pending: 2" in message.body and "Flagged by readers: 1" in message.body
    assert "5 hours ago" in message.body
    assert "- Harbour plan" in message.body
    assert "/admin/comments/moderationqueue/" in message.body
    # A second run in the same period sends nothing new.
    assert moderator_mail.moderator_digest_send() == 0
    assert len(mail.outbox) == 2


def test_moderators_are_alerted_when_a_comment_is_flagged(moderator):
    comment = CommentFactory(flagged_at=timezone.now())
    sent = moderator_mail.moderators_alert_send(kind="flagged", stamp=1, comment_id=comment.pk)
    assert sent == 1
    assert "was reported by readers" in mail.outbox[0].subject
    assert f"comment #{comment.pk}" in mail.outbox[0].body
    assert moderator_mail.moderators_alert_send(kind="flagged", stamp=1, comment_id=comment.pk) == 0


def test_moderators_are_alerted_when_the_surge_guard_switches_on(moderator):
    article = ArticleFactory(published=True, title="Election night")
    stamp = int((timezone.now() + timedelta(hours=6)).timestamp())
    moderator_mail.moderators_alert_send(
        kind="surge", stamp=stamp, article_id=article.pk, detail="posts"
    )
    (message,) = mail.outbox
    assert message.subject == "Surge guard: “Election night” is now pre-moderated"
    assert 'new comments on "Election night" arrived faster' in message.body
