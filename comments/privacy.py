"""Personal data held by the comments app: the retention purge and GDPR export and erasure.

What is personal here: a commenter's name, email, website, IP address and user agent on their
comments; a reporter's email and IP on flags; notification consents and the mail log. Raw IPs
and user agents live COMMENTS_RETENTION_DAYS; the keyed IP hash stays for bans and matching
(it cannot be turned back into an address without the site's secret key).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import purges
from .identities import email_hash
from .models import (
    Ban,
    Comment,
    Flag,
    MailLog,
    ModerationAction,
    NotificationRecipient,
    Reason,
)

ERASED_NAME = "Anonymous"
PURGE_BATCH = 2000


def personal_data_purge(*, now=None) -> int:
    """Clear raw IPs and user agents older than the retention period, in small batches so the
    sweep never holds long locks. Returns how many rows changed."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=settings.COMMENTS_RETENTION_DAYS)
    changed = 0
    while True:
        ids = list(
            Comment.objects.personal_data_expired(cutoff).values_list("id", flat=True)[:PURGE_BATCH]
        )
        if not ids:
            break
        changed += Comment.objects.filter(id__in=ids).update(ip_address=None, user_agent="")
    while True:
        ids = list(
            Flag.objects.filter(created_at__lt=cutoff, reporter_ip__isnull=False).values_list(
                "id", flat=True
            )[:PURGE_BATCH]
        )
        if not ids:
            break
        changed += Flag.objects.filter(id__in=ids).update(reporter_ip=None)
    return changed


def _normalize(email: str) -> str:
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254 or any(ch.isspace() for ch in email):
        raise ValidationError({"email": ["Enter the email address to look up."]})
    return email


def _require(actor) -> None:
    """``actor=None`` is the operator at the shell (management commands)."""
    if actor is not None and not (actor.is_active and actor.has_perm("comments.erase_commenter")):
        raise PermissionDenied("You may not export or erase commenters' personal data.")


def commenter_export(*, actor, email: str) -> dict:
    """Everything stored about an email address, as JSON-ready data (GDPR access request)."""
    _require(actor)
    email = _normalize(email)
    comments = Comment.objects.by_email(email).select_related("article").order_by("created_at")
    recipient = NotificationRecipient.objects.filter(email=email).first()
    banned = Ban.objects.filter(kind=Ban.Kind.EMAIL, value_hash=email_hash(email))
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "comments": [
            {
                "id": c.pk,
                "article": c.article.title,
                "article_id": c.article_id,
                "in_reply_to": c.in_reply_to_id,
                "created_at": c.created_at.isoformat(),
                "status": c.status,
                "name": c.author_name,
                "email": c.author_email,
                "website": c.author_url,
                "body": c.body,
                "ip_address": c.ip_address,
                "user_agent": c.user_agent,
                "notify": c.notify,
            }
            for c in comments
        ],
        "reports": [
            {
                "comment_id": f.comment_id,
                "reason": f.reason,
                "text": f.text,
                "created_at": f.created_at.isoformat(),
                "ip_address": f.reporter_ip,
            }
            for f in Flag.objects.filter(reporter_email=email).order_by("created_at")
        ],
        "notifications": {
            "confirmed_at": recipient.confirmed_at.isoformat()
            if recipient and recipient.confirmed_at
            else None,
            "unsubscribed_at": recipient.unsubscribed_at.isoformat()
            if recipient and recipient.unsubscribed_at
            else None,
            "mails": [
                {"kind": m.kind, "outcome": m.outcome, "created_at": m.created_at.isoformat()}
                for m in MailLog.objects.filter(recipient=email).order_by("created_at")
            ],
        },
        "banned": [
            {
                "created_at": b.created_at.isoformat(),
                "expires_at": b.expires_at and b.expires_at.isoformat(),
            }
            for b in banned
        ],
    }


def commenter_erase(*, actor, email: str, mode: str | None = None) -> dict[str, int]:
    """Erase what is stored about an email address (GDPR erasure request).

    mode "anonymise" keeps the comments' text under the name "Anonymous" and removes every
    identifying field; "delete" removes the comments, re-attaching other people's replies to
    the removed comment's parent so their words stay. A ban on the address keeps its keyed hash
    (the newsroom's legitimate interest in keeping an abuser out) but loses the readable label.
    """
    _require(actor)
    email = _normalize(email)
    mode = mode or settings.COMMENTS_ERASE_MODE
    if mode not in ("anonymise", "delete"):
        raise ValidationError({"mode": ["Choose anonymise or delete."]})
    now = timezone.now()
    with transaction.atomic():
        comments = list(Comment.objects.by_email(email).select_for_update())
        ids = [c.pk for c in comments]
        touched_articles = {c.article_id for c in comments if c.status == Comment.Status.APPROVED}
        ModerationAction.objects.bulk_create(
            ModerationAction(
                comment_id=None if mode == "delete" else c.pk,
                actor=actor,
                action=ModerationAction.Action.ERASE,
                from_status=c.status,
                to_status=c.status if mode == "anonymise" else "",
                reason=Reason.ERASED,
                note=f"{mode} on request (comment #{c.pk})",
                created_at=now,
            )
            for c in comments
        )
        if mode == "anonymise":
            Comment.objects.filter(pk__in=ids).update(
                author_name=ERASED_NAME,
                author_email="",
                author_url="",
                ip_address=None,
                user_agent="",
                user=None,
                notify=False,
            )
        else:
            for comment in sorted(comments, key=lambda c: -c.depth):
                Comment.objects.filter(parent_id=comment.pk).exclude(pk__in=ids).update(
                    parent_id=comment.parent_id, depth=comment.depth
                )
            Comment.objects.filter(pk__in=ids).delete()
        reports = Flag.objects.filter(reporter_email=email).update(
            reporter_email="", reporter_ip=None
        )
        MailLog.objects.filter(recipient=email).delete()
        NotificationRecipient.objects.filter(email=email).delete()
        Ban.objects.filter(kind=Ban.Kind.EMAIL, value_hash=email_hash(email)).update(
            label="(erased on request)"
        )
        for article_id in touched_articles:
            purges.comments_changed(article_id)
    return {"comments": len(ids), "reports": reports, "mode": mode}
