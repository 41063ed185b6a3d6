"""Mail to commenters, all sent from the worker: notifications (approval, reply), the
confirmation that unlocks them, and the delivery every comment mail goes through (the
moderators' digest and alerts are in moderator_mail.py).

Nobody can use the comment form to mail a stranger: notifications go only to an address that
confirmed it wants them, the confirmation request carries no reader-written text and goes out
at most once per COMMENTS_CONFIRMATION_INTERVAL_DAYS, mails are plain text without the
comment's links, and each recipient has a rate limit. Every mail has a unique key in MailLog,
so a task that runs twice sends once.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.links import absolute_url
from core.ratelimit import parse_limits

from . import text as comment_text
from .models import Comment, MailLog, NotificationRecipient

logger = logging.getLogger(__name__)

CONFIRM_SALT = "newsroom.comments.notify.confirm"
UNSUBSCRIBE_SALT = "newsroom.comments.notify.unsubscribe"
# What deliver answers when the mail's key was handled by an earlier run.
ALREADY_HANDLED = "already handled"


class InvalidToken(Exception):
    pass


def confirm_token(email: str) -> str:
    return signing.dumps(email, salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(email: str) -> str:
    return signing.dumps(email, salt=UNSUBSCRIBE_SALT, compress=True)


def _email_from(token: str, salt: str, max_age=None) -> str:
    try:
        email = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature as exc:
        raise InvalidToken("This link is not valid or has expired.") from exc
    if not isinstance(email, str) or "@" not in email:
        raise InvalidToken("This link is not valid or has expired.")
    return email


def one_line(value: str) -> str:
    return " ".join(value.split())[:150]


# ---------------------------------------------------------------------------
# Confirmation and unsubscribe (called by the views)
# ---------------------------------------------------------------------------
def notification_confirm(*, token: str) -> NotificationRecipient:
    email = _email_from(
        token, CONFIRM_SALT, max_age=settings.COMMENTS_CONFIRMATION_INTERVAL_DAYS * 86400
    )
    recipient, _ = NotificationRecipient.objects.get_or_create(email=email)
    recipient.confirmed_at = recipient.confirmed_at or timezone.now()
    recipient.unsubscribed_at = None
    recipient.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return recipient


def notification_unsubscribe(*, token: str) -> str:
    """Stop every comment notification to the token's address. Idempotent."""
    email = _email_from(token, UNSUBSCRIBE_SALT)
    recipient, _ = NotificationRecipient.objects.get_or_create(email=email)
    if recipient.unsubscribed_at is None:
        recipient.unsubscribed_at = timezone.now()
        recipient.save(update_fields=["unsubscribed_at"])
    Comment.objects.filter(author_email=email, notify=True).update(notify=False)
    return email


# ---------------------------------------------------------------------------
# Delivery
# ---------------------------------------------------------------------------
def deliver(
    *,
    key: str,
    kind: str,
    recipient: str,
    subject: str,
    body: str,
    comment: Comment | None = None,
    unsubscribe: bool = False,
    rate_limited: bool = False,
) -> str:
    """Send one mail at most once per ``key``; returns this run's outcome (sent, skipped, or
    ALREADY_HANDLED when an earlier run dealt with the key)."""
    try:
        log, _ = MailLog.objects.get_or_create(
            key=key, defaults={"kind": kind, "recipient": recipient, "comment": comment}
        )
    except IntegrityError:
        log = MailLog.objects.get(key=key)
    if log.outcome != MailLog.Outcome.PENDING:
        return ALREADY_HANDLED
    with transaction.atomic():
        log = MailLog.objects.select_for_update().get(pk=log.pk)
        if log.outcome != MailLog.Outcome.PENDING:
            return ALREADY_HANDLED
        if rate_limited and _over_recipient_limit(recipient):
            log.outcome, log.detail = MailLog.Outcome.SKIPPED, "rate limited"
            log.save(update_fields=["outcome", "detail"])
            return log.outcome
        headers = {"Auto-Submitted": "auto-generated"}
        if unsubscribe:
            link = absolute_url(
                reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(recipient)})
            )
            # RFC 8058 one-click unsubscribe.
            headers["List-Unsubscribe"] = f"<{link}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        EmailMessage(
            subject=one_line(subject),
            body=body,
            to=[recipient],
            headers=headers,
        ).send()
        log.outcome, log.sent_at = MailLog.Outcome.SENT, timezone.now()
        log.save(update_fields=["outcome", "sent_at"])
    return log.outcome


def _over_recipient_limit(recipient: str) -> bool:
    now = timezone.now()
    for limit in parse_limits(settings.COMMENTS_NOTIFY_RATE_LIMITS):
        sent = MailLog.objects.filter(
            recipient=recipient,
            outcome=MailLog.Outcome.SENT,
            sent_at__gte=now - timezone.timedelta(seconds=limit.seconds),
        ).count()
        if sent >= limit.count:
            return True
    return False


def _skip(key: str, kind: str, recipient: str, comment: Comment | None, detail: str) -> str:
    MailLog.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "comment": comment,
            "outcome": MailLog.Outcome.SKIPPED,
            "detail": detail,
        },
    )
    return MailLog.Outcome.SKIPPED


def _notify_commenter(*, kind: str, key: str, email: str, comment: Comment, context: dict) -> str:
    recipient, _ = NotificationRecipient.objects.get_or_create(email=email)
    if recipient.unsubscribed_at:
        return _skip(key, kind, email, comment, "unsubscribed")
    if recipient.confirmed_at is None:
        _request_confirmation(recipient, comment)
        return _skip(key, kind, email, comment, "not confirmed")
    context = {
        **context,
        "unsubscribe_url": absolute_url(
            reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(email)})
        ),
    }
    body = render_to_string(f"comments/email/{kind}.txt", context)
    return deliver(
        key=key,
        kind=kind,
        recipient=email,
        subject=context["subject"],
        body=body,
        comment=comment,
        unsubscribe=True,
        rate_limited=True,
    )


def _request_confirmation(recipient: NotificationRecipient, comment: Comment) -> None:
    """Ask the address once whether it wants comment mail. No reader-written text inside."""
    now = timezone.now()
    interval = timezone.timedelta(days=settings.COMMENTS_CONFIRMATION_INTERVAL_DAYS)
    with transaction.atomic():
        locked = NotificationRecipient.objects.select_for_update().get(pk=recipient.pk)
        if locked.confirmation_sent_at and now - locked.confirmation_sent_at < interval:
            return
        locked.confirmation_sent_at = now
        locked.save(update_fields=["confirmation_sent_at"])
    article = comment.article
    context = {
        "site_name": settings.SITE_NAME,
        "article_title": one_line(article.title),
        "confirm_url": absolute_url(
            reverse("comments:notify-confirm", kwargs={"token": confirm_token(locked.email)})
        ),
    }
    deliver(
        key=f"confirm:{locked.email}:{int(now.timestamp())}",
        kind=MailLog.Kind.CONFIRM,
        recipient=locked.email,
        subject=f"Confirm comment notifications from {settings.SITE_NAME}",
        body=render_to_string("comments/email/confirm.txt", context),
        comment=comment,
    )


def comment_notifications_send(*, comment_id: int) -> list[str]:
    """After a comment is approved: tell its author (if they asked and a moderator approved
    it) and the author of the comment it answers (if they asked). Safe to run twice."""
    comment = (
        Comment.objects.select_related("article", "in_reply_to", "parent")
        .filter(pk=comment_id, status=Comment.Status.APPROVED)
        .first()
    )
    if comment is None:
        logger.info("comment not approved or gone; no notification", extra={"id": comment_id})
        return []
    article = comment.article
    base = {
        "site_name": settings.SITE_NAME,
        "article_title": one_line(article.title),
        "comment_url": f"{absolute_url(article.get_absolute_url())}#comment-{comment.pk}",
    }
    outcomes = []
    if comment.notify and comment.author_email and comment.moderated_by_id:
        outcomes.append(
            _notify_commenter(
                kind=MailLog.Kind.APPROVED,
                key=f"approved:{comment.pk}",
                email=comment.author_email,
                comment=comment,
                context={
                    **base,
                    "subject": f"Your comment on “{base['article_title']}” is published",
                    "author_name": comment.author_name,
                    "body": comment_text.remove_links(comment.body),
                },
            )
        )
    answered = comment.in_reply_to or comment.parent
    if (
        answered is not None
        and answered.notify
        and answered.status == Comment.Status.APPROVED
        and answered.author_email
        and answered.author_email != comment.author_email
    ):
        outcomes.append(
            _notify_commenter(
                kind=MailLog.Kind.REPLY,
                key=f"reply:{comment.pk}:{answered.pk}",
                email=answered.author_email,
                comment=comment,
                context={
                    **base,
                    "subject": f"New reply to your comment on “{base['article_title']}”",
                    "recipient_name": answered.author_name,
                    "author_name": comment.author_name,
                    "body": comment_text.remove_links(comment.body),
                },
            )
        )
    return outcomes
