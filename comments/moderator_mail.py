"""Mail to the moderators, from the worker: a digest of the queue once per digest period, and an
alert at once when readers report a comment or an article's surge guard switches on. Each
moderator gets each mail once (its key in MailLog), through comments.mail.deliver."""

from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from articles.models import Article
from core.links import absolute_url

from .mail import deliver, one_line
from .models import Comment, MailLog

MODERATOR_GROUP = "Moderator"


def moderator_emails() -> list[str]:
    """Active members of the Moderator group with an address, plus COMMENTS_MODERATOR_EMAILS."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MODERATOR_GROUP)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    emails = {e.strip().lower() for e in [*users, *settings.COMMENTS_MODERATOR_EMAILS] if e}
    return sorted(emails)


def _queue_url() -> str:
    return absolute_url(reverse("admin:comments_moderationqueue_changelist"))


def moderator_digest_send(*, now=None) -> int:
    """Mail the queue's size and oldest waiting comment to every moderator, once per digest
    period, when the queue is not empty. Returns the number of mails sent."""
    now = now or timezone.now()
    pending = Comment.objects.pending()
    flagged = Comment.objects.filter(flagged_at__isnull=False).exclude(
        status=Comment.Status.PENDING
    )
    pending_count, flagged_count = pending.count(), flagged.count()
    if not pending_count and not flagged_count:
        return 0
    oldest = min(
        (
            t
            for t in (
                pending.aggregate(t=Min("created_at"))["t"],
                flagged.aggregate(t=Min("flagged_at"))["t"],
            )
            if t
        ),
        default=now,
    )
    busiest = (
        Article.objects.filter(comments__status=Comment.Status.PENDING)
        .values("title")
        .annotate(waiting=Min("comments__created_at"))
        .order_by("waiting")[:10]
    )
    period = settings.COMMENTS_DIGEST_INTERVAL_HOURS * 3600
    bucket = int(now.timestamp() // period)
    context = {
        "site_name": settings.SITE_NAME,
        "pending_count": pending_count,
        "flagged_count": flagged_count,
        "oldest": oldest,
        "oldest_age": timesince(oldest, now).replace("\xa0", " "),
        "articles": [one_line(row["title"]) for row in busiest],
        "queue_url": _queue_url(),
    }
    body = render_to_string("comments/email/digest.txt", context)
    sent = 0
    for email in moderator_emails():
        outcome = deliver(
            key=f"digest:{bucket}:{email}",
            kind=MailLog.Kind.DIGEST,
            recipient=email,
            subject=f"{pending_count + flagged_count} comments waiting for moderation",
            body=body,
        )
        sent += outcome == MailLog.Outcome.SENT
    return sent


def moderators_alert_send(
    *,
    kind: str,
    stamp: int,
    comment_id: int | None = None,
    article_id: int | None = None,
    detail="",
) -> int:
    """Tell the moderators at once: a comment reached the report threshold, or an article's
    surge guard switched on."""
    if kind == "flagged":
        comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
        if comment is None:
            return 0
        article = comment.article
        subject = f"A comment on “{one_line(article.title)}” was reported by readers"
        key_base = f"alert:flagged:{comment_id}:{stamp}"
    elif kind == "surge":
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            return 0
        comment = None
        subject = f"Surge guard: “{one_line(article.title)}” is now pre-moderated"
        key_base = f"alert:surge:{article_id}:{stamp}"
    else:
        raise ValueError(f"unknown alert {kind!r}")
    body = render_to_string(
        "comments/email/alert.txt",
        {
            "kind": kind,
            "detail": detail,
            "site_name": settings.SITE_NAME,
            "article_title": one_line(article.title),
            "article_url": absolute_url(article.get_absolute_url()),
            "comment_id": comment_id,
            "queue_url": _queue_url(),
            "threshold": settings.COMMENTS_FLAG_THRESHOLD,
            "until": datetime.fromtimestamp(stamp, tz=UTC),
        },
    )
    sent = 0
    for email in moderator_emails():
        outcome = deliver(
            key=f"{key_base}:{email}",
            kind=MailLog.Kind.ALERT,
            recipient=email,
            subject=subject,
            body=body,
            comment=comment,
        )
        sent += outcome == MailLog.Outcome.SENT
    return sent
