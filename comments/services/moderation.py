"""Moderators' writes: decisions, edits and bans. Each checks the moderator's permission and
writes the audit log."""

import ipaddress

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.clients import client_network

from .. import purges
from .. import text as comment_text
from ..identities import email_hash, ip_hash
from ..models import Ban, Comment, ModerationAction, Reason
from ..validation import clean_email, comment_validate
from .common import NOTIFY_TOPIC, require_moderator, side_effect_record

ACTION_STATUS = {
    "approve": Comment.Status.APPROVED,
    "reject": Comment.Status.REJECTED,
    "spam": Comment.Status.SPAM,
}


def comment_moderate(*, actor, comment: Comment, action: str, note: str = "") -> Comment:
    """Approve, reject or mark as spam; takes effect at once and is written to the audit log.

    Approving a flagged comment keeps it and clears the flag. Repeating a decision that is
    already in place changes nothing.
    """
    require_moderator(actor)
    if action not in ACTION_STATUS:
        raise ValidationError({"action": [f"Choose one of: {', '.join(ACTION_STATUS)}."]})
    note = comment_text.clean_body(note or "")[:2000]
    target = ACTION_STATUS[action]
    now = timezone.now()
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        before = locked.status
        if before == target and locked.flagged_at is None:
            return locked
        locked.status = target
        locked.moderated_by = actor
        locked.moderated_at = now
        locked.reason = Reason.MANUAL
        locked.flagged_at = None
        locked.save(
            update_fields=["status", "moderated_by", "moderated_at", "reason", "flagged_at"]
        )
        ModerationAction.objects.create(
            comment=locked,
            actor=actor,
            action=action,
            from_status=before,
            to_status=target,
            reason=Reason.MANUAL,
            note=note,
            created_at=now,
        )
        if Comment.Status.APPROVED in (before, target) and before != target:
            purges.comments_changed(locked.article_id)
        if target == Comment.Status.APPROVED and before != target:
            side_effect_record(NOTIFY_TOPIC, comment_id=locked.pk)
    return locked


def comments_moderate(*, actor, comments, action: str, note: str = "") -> int:
    """The bulk form of comment_moderate; returns how many comments changed."""
    require_moderator(actor)
    changed = 0
    for comment in comments:
        before = (comment.status, comment.flagged_at)
        after = comment_moderate(actor=actor, comment=comment, action=action, note=note)
        changed += (after.status, after.flagged_at) != before
    return changed


def comment_edit(
    *, actor, comment: Comment, author_name: str, author_url: str, body: str, note: str = ""
) -> Comment:
    """A moderator's correction of a comment (e.g. removing a phone number), with the same
    validation as posting and an audit entry."""
    require_moderator(actor)
    cleaned = comment_validate(
        author_name=author_name,
        author_email=comment.author_email or "erased@invalid.example",
        author_url=author_url,
        body=body,
    )
    now = timezone.now()
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        changes = [
            field
            for field in ("author_name", "author_url", "body")
            if getattr(locked, field) != cleaned[field]
        ]
        if not changes:
            return locked
        for field in changes:
            setattr(locked, field, cleaned[field])
        locked.content_hash = comment_text.content_hash(locked.body)
        locked.edited_at = now
        locked.save(update_fields=[*changes, "content_hash", "edited_at"])
        ModerationAction.objects.create(
            comment=locked,
            actor=actor,
            action=ModerationAction.Action.EDIT,
            from_status=locked.status,
            to_status=locked.status,
            reason=Reason.MANUAL,
            note=comment_text.clean_body(note or f"Changed {', '.join(changes)}")[:2000],
            created_at=now,
        )
        if locked.status == Comment.Status.APPROVED:
            purges.comments_changed(locked.article_id)
    return locked


def comment_ban_author(*, actor, comment: Comment, kind: str, note: str = "") -> Ban:
    """Ban the comment's email address or IP network and mark the comment as spam."""
    require_moderator(actor)
    if kind == Ban.Kind.EMAIL:
        if not comment.author_email:
            raise ValidationError("This comment has no email address to ban.")
        value_hash, label = email_hash(comment.author_email), comment.author_email
        action = ModerationAction.Action.BAN_EMAIL
    elif kind == Ban.Kind.IP:
        if not comment.ip_hash:
            raise ValidationError("This comment has no IP address to ban.")
        network = client_network(comment.ip_address)
        value_hash, label = comment.ip_hash, _ip_label(network) or f"network {comment.ip_hash[:12]}"
        action = ModerationAction.Action.BAN_IP
    else:
        raise ValidationError({"kind": ["Choose email or ip."]})
    note = comment_text.clean_body(note or "")[:500]
    with transaction.atomic():
        ban, created = Ban.objects.get_or_create(
            kind=kind,
            value_hash=value_hash,
            defaults={"label": label, "note": note, "created_by": actor},
        )
        if created:
            ModerationAction.objects.create(
                comment=comment,
                actor=actor,
                action=action,
                from_status=comment.status,
                to_status=comment.status,
                reason=Reason.MANUAL,
                note=note,
            )
        comment_moderate(actor=actor, comment=comment, action="spam", note=note or "banned")
    return ban


def _ip_label(network: str) -> str:
    """What moderators see of a banned IP: its /24 (IPv4) or /48 (IPv6), never the address."""
    if not network:
        return ""
    net = ipaddress.ip_network(network, strict=False)
    prefix = 24 if net.version == 4 else 48
    return str(net.supernet(new_prefix=prefix)) if net.prefixlen > prefix else str(net)


def ban_create(*, actor, kind: str, value: str, note: str = "", expires_at=None) -> Ban:
    """Ban an email address or an IP address (its /64 network for IPv6) typed by a moderator."""
    require_moderator(actor)
    value = (value or "").strip()
    errors: dict[str, list[str]] = {}
    if kind == Ban.Kind.EMAIL:
        email = clean_email(value, errors)
        if errors:
            raise ValidationError({"value": errors["author_email"]})
        value_hash, label = email_hash(email), email
    elif kind == Ban.Kind.IP:
        network = client_network(value)
        if not network:
            raise ValidationError({"value": ["Enter an IPv4 or IPv6 address."]})
        value_hash, label = ip_hash(value), _ip_label(network)
    else:
        raise ValidationError({"kind": ["Choose email or ip."]})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": ["The end of the ban must be in the future."]})
    ban, _ = Ban.objects.update_or_create(
        kind=kind,
        value_hash=value_hash,
        defaults={
            "label": label,
            "note": comment_text.clean_body(note or "")[:500],
            "expires_at": expires_at,
            "created_by": actor,
        },
    )
    return ban
