"""Writes for comments: posting, reporting, moderating, editing and banning.

The form view, the admin, the API and the worker all call these functions, so a rule (who
may moderate, what is held, what is rate-limited) lives here once. Domain errors carry a
message a reader or moderator can read; entry points turn them into form errors or
400/403/429 responses.
"""

import logging
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.caching import article_cache_bump
from articles.models import Article

from . import ratelimit, spamcheck
from . import text as comment_text
from .conf import comments_settings, parse_rate_limits
from .models import Ban, Comment, Flag, ModerationAction, ModerationPolicy, Reason, WordRule
from .selectors import commenter_is_trusted, comments_closed_reason, moderation_mode

logger = logging.getLogger(__name__)


class CommentsClosed(Exception):
    """The article does not accept new comments (403 for the API, a message on the page)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RateLimited(Exception):
    """Too many posts from this IP or email address (429 with Retry-After)."""

    def __init__(self, retry_after: int, message: str | None = None):
        self.retry_after = retry_after
        self.message = message or (
            f"You are posting too quickly. Please wait {retry_after} seconds and try again."
        )
        super().__init__(self.message)


# ---------------------------------------------------------------------------
# Validation shared by every write path
# ---------------------------------------------------------------------------
NOT_ALLOWED = "contains a character that is not allowed"
URL_VALIDATOR = URLValidator(schemes=["http", "https"])
EMAIL_VALIDATOR = EmailValidator()


def _invalid_characters(value: str) -> bool:
    """NUL (PostgreSQL refuses it) and lone surrogates (cannot be stored as UTF-8)."""
    return "\x00" in value or any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)


def _clean_name(value: str, errors: dict) -> str:
    value = value or ""
    if _invalid_characters(value):
        errors["author_name"] = [f"Your name {NOT_ALLOWED}."]
        return ""
    if comment_text.has_control_characters(value):
        errors["author_name"] = [
            "Your name must be on one line, without control or text-direction characters."
        ]
        return ""
    value = comment_text.clean_line(value)
    length = comment_text.visible_length(value)
    if length == 0:
        errors["author_name"] = ["Please enter your name here."]
    elif length > comments_settings.NAME_MAX_LENGTH:
        errors["author_name"] = [
            f"Your name can be at most {comments_settings.NAME_MAX_LENGTH} characters "
            f"(it has {length})."
        ]
    return value


def _clean_email(value: str, errors: dict) -> str:
    value = (value or "").strip()
    if not value:
        errors["author_email"] = ["Please enter your email address (it is never published)."]
        return ""
    if _invalid_characters(value) or comment_text.has_control_characters(value) or len(value) > 254:
        errors["author_email"] = ["Enter a valid email address."]
        return ""
    try:
        EMAIL_VALIDATOR(value)
    except ValidationError:
        errors["author_email"] = ["Enter a valid email address."]
        return ""
    return value.lower()


def _clean_url(value: str, errors: dict) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    message = "Enter a web address starting with http:// or https://."
    if _invalid_characters(value) or comment_text.has_control_characters(value) or " " in value:
        errors["author_url"] = [message]
        return ""
    if "://" not in value and ":" not in value.split("/", 1)[0] and not value.startswith("/"):
        # "example.org/me" is what people type; it means the web.
        value = f"https://{value}"
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in ("http", "https"):
        errors["author_url"] = ["Only http:// and https:// web addresses are allowed."]
        return ""
    if len(value) > 200:
        errors["author_url"] = ["Your web address can be at most 200 characters."]
        return ""
    try:
        URL_VALIDATOR(value)
    except ValidationError:
        errors["author_url"] = [message]
        return ""
    return value


def _clean_body(value: str, errors: dict) -> str:
    value = value or ""
    if _invalid_characters(value):
        errors["body"] = [f"Your comment {NOT_ALLOWED} (a NUL byte or a broken character)."]
        return ""
    value = comment_text.clean_body(value)
    length = comment_text.visible_length(value)
    maximum = comments_settings.BODY_MAX_LENGTH
    if length == 0:
        errors["body"] = ["Please enter your comment!"]
    elif length > maximum:
        errors["body"] = [
            f"Your comment can be at most {maximum:,} characters (it has {length:,})."
        ]
    return value


def comment_validate(
    *, author_name: str, author_email: str, author_url: str, body: str
) -> dict[str, str]:
    """The cleaned fields, or ValidationError with a message per field."""
    errors: dict[str, list[str]] = {}
    cleaned = {
        "author_name": _clean_name(author_name, errors),
        "author_email": _clean_email(author_email, errors),
        "author_url": _clean_url(author_url, errors),
        "body": _clean_body(body, errors),
    }
    if errors:
        raise ValidationError(errors)
    return cleaned


def can_moderate(user) -> bool:
    return bool(user is not None and user.is_active and user.has_perm("comments.moderate_comment"))


def _require_moderator(actor) -> None:
    if not can_moderate(actor):
        raise PermissionDenied("Only moderators and editors can moderate comments.")


def _after_commit_visible_change(article_id: int) -> None:
    transaction.on_commit(lambda: article_cache_bump(article_id))


def _queue_task(task_name: str, **kwargs) -> None:
    def send() -> None:
        from . import tasks

        getattr(tasks, task_name).delay(**kwargs)

    transaction.on_commit(send)


# ---------------------------------------------------------------------------
# Posting
# ---------------------------------------------------------------------------
def _check_rate_limits(*, ip_key: str, email: str) -> None:
    limits = parse_rate_limits(comments_settings.RATE_LIMITS)
    retry_after = 0
    for scope, identity in (("post-ip", ip_key), ("post-email", ratelimit.email_hash(email))):
        if identity:
            retry_after = max(retry_after, ratelimit.hit(scope, identity, limits).retry_after)
    if retry_after:
        raise RateLimited(retry_after)


def _surge_check(*, article: Article, kind: str, threshold: int, now) -> bool:
    """Count one post or flag on the article; past the threshold, pre-moderate it for a while.

    Returns True when this event switched the guard on (so moderators are told once).
    """
    seen = ratelimit.count(f"surge-{kind}", str(article.pk), comments_settings.SURGE_WINDOW)
    if seen <= threshold:
        return False
    until = now + timezone.timedelta(seconds=comments_settings.SURGE_HOLD)
    with transaction.atomic():
        policy, _ = ModerationPolicy.objects.select_for_update().get_or_create(article=article)
        if policy.surge_until and policy.surge_until > now:
            return False
        policy.surge_until = until
        policy.save(update_fields=["surge_until", "updated_at"])
        _queue_task(
            "moderators_alert_task",
            kind="surge",
            article_id=article.pk,
            stamp=int(until.timestamp()),
            detail=kind,
        )
    logger.warning("comment surge guard on", extra={"article_id": article.pk, "trigger": kind})
    return True


def _is_banned(*, ip_key: str, email: str, now) -> bool:
    from django.db.models import Q

    match = Q(kind=Ban.Kind.EMAIL, value_hash=ratelimit.email_hash(email))
    if ip_key:
        match |= Q(kind=Ban.Kind.IP, value_hash=ip_key)
    return (
        Ban.objects.filter(match)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .exists()
    )


def _word_matches(body_match_form: str, name_match_form: str) -> tuple[list[str], list[str]]:
    rules = {WordRule.Kind.BANNED: [], WordRule.Kind.SUSPECT: []}
    for kind, phrase in WordRule.objects.values_list("kind", "normalized"):
        rules[kind].append(phrase)
    haystack = f"{name_match_form}\n{body_match_form}"
    return (
        comment_text.find_phrases(haystack, rules[WordRule.Kind.BANNED]),
        comment_text.find_phrases(haystack, rules[WordRule.Kind.SUSPECT]),
    )


def _resolve_parent(article: Article, parent_id) -> tuple[Comment | None, int | None, int]:
    """(the comment replied to, the parent it is filed under, depth)."""
    if parent_id in (None, ""):
        return None, None, 0
    try:
        parent_id = int(parent_id)
    except (TypeError, ValueError):
        raise ValidationError(
            {"parent": ["The comment you are replying to was not found."]}
        ) from None
    parent = (
        Comment.objects.approved()
        .filter(pk=parent_id, article_id=article.pk)
        .only("id", "parent_id", "depth", "article_id")
        .first()
    )
    if parent is None:
        raise ValidationError({"parent": ["The comment you are replying to was not found."]})
    if parent.depth + 1 >= comments_settings.MAX_DEPTH:
        # At the deepest level a reply joins its parent's level instead of nesting further;
        # in_reply_to still names the comment it answers.
        return parent, parent.parent_id, parent.depth
    return parent, parent.pk, parent.depth + 1


def comment_post(
    *,
    article: Article,
    author_name: str,
    author_email: str,
    author_url: str = "",
    body: str,
    parent_id: int | str | None = None,
    ip: str | None,
    user_agent: str = "",
    user=None,
    notify: bool = False,
) -> Comment:
    """Post a reader's comment through every check and return it (usually pending).

    Raises CommentsClosed, ValidationError (per-field messages) or RateLimited. Spam is
    stored with status "spam" without telling the poster; nothing valid is ever dropped.
    """
    now = timezone.now()
    closed = comments_closed_reason(article, now)
    if closed:
        raise CommentsClosed(closed)

    errors: dict[str, list[str]] = {}
    try:
        cleaned = comment_validate(
            author_name=author_name, author_email=author_email, author_url=author_url, body=body
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        in_reply_to, parent_pk, depth = _resolve_parent(article, parent_id)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    staff = can_moderate(user)
    ip_key = ratelimit.ip_hash(ip)
    if not staff:
        _check_rate_limits(ip_key=ip_key, email=cleaned["author_email"])

    body_match = comment_text.normalize_for_matching(cleaned["body"])
    digest = comment_text.content_hash(cleaned["body"])
    since = now - timezone.timedelta(seconds=comments_settings.DUPLICATE_WINDOW)
    earlier = list(
        Comment.objects.filter(
            article_id=article.pk, content_hash=digest, created_at__gte=since
        ).values_list("author_email", "ip_hash")[:20]
    )
    if any(
        email == cleaned["author_email"] or (ip_key and hash_ == ip_key) for email, hash_ in earlier
    ):
        raise ValidationError({"body": ["You have already posted this comment."]})

    surge_started = not staff and _surge_check(
        article=article, kind="posts", threshold=comments_settings.SURGE_POSTS, now=now
    )

    status, reasons = _decide(
        article=article,
        cleaned=cleaned,
        body_match=body_match,
        duplicate_elsewhere=bool(earlier),
        ip=ip,
        ip_key=ip_key,
        user_agent=user_agent,
        staff=staff,
        surge_started=surge_started,
        now=now,
    )

    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent_id=parent_pk,
            in_reply_to=in_reply_to,
            depth=depth,
            author_name=cleaned["author_name"],
            author_email=cleaned["author_email"],
            author_url=cleaned["author_url"],
            body=cleaned["body"],
            status=status,
            reasons=reasons,
            reason=reasons[0],
            created_at=now,
            ip_address=ip or None,
            ip_hash=ip_key,
            user_agent=(user_agent or "")[:500].replace("\x00", ""),
            user=user if user is not None and user.is_authenticated else None,
            notify=bool(notify),
            content_hash=digest,
        )
        ModerationAction.objects.create(
            comment=comment,
            actor=None,
            action=ModerationAction.Action.SUBMIT,
            to_status=status,
            reason=reasons[0],
            note=", ".join(reasons),
            created_at=now,
        )
        if status == Comment.Status.APPROVED:
            _after_commit_visible_change(article.pk)
            _queue_task("comment_notifications_task", comment_id=comment.pk)
    return comment


def _decide(
    *,
    article,
    cleaned,
    body_match,
    duplicate_elsewhere,
    ip,
    ip_key,
    user_agent,
    staff,
    surge_started,
    now,
) -> tuple[str, list[str]]:
    """(status, reasons) for a new comment. Rejections first, then holds, then trust."""
    if staff:
        return Comment.Status.APPROVED, [Reason.TRUSTED]
    if _is_banned(ip_key=ip_key, email=cleaned["author_email"], now=now):
        return Comment.Status.SPAM, [Reason.BANNED]
    banned, suspect = _word_matches(
        body_match, comment_text.normalize_for_matching(cleaned["author_name"])
    )
    if banned:
        return Comment.Status.SPAM, [Reason.BANNED_WORD]
    if duplicate_elsewhere:
        # The same text from someone else within minutes: a copy-paste campaign.
        return Comment.Status.SPAM, [Reason.DUPLICATE]

    holds = []
    if comment_text.count_links(cleaned["body"]) > comments_settings.LINK_LIMIT:
        holds.append(Reason.LINK_LIMIT)
    if suspect:
        holds.append(Reason.SUSPECT_WORD)
    mode, surge = moderation_mode(article, now)
    if surge or surge_started:
        holds.append(Reason.SURGE)
    if spamcheck.is_enabled():
        verdict = spamcheck.check(
            permalink=_permalink(article),
            author_name=cleaned["author_name"],
            author_email=cleaned["author_email"],
            author_url=cleaned["author_url"],
            body=cleaned["body"],
            ip=ip,
            user_agent=user_agent,
        )
        if verdict is spamcheck.Verdict.SPAM:
            return Comment.Status.SPAM, [Reason.SPAM_CHECK]
        if verdict is spamcheck.Verdict.UNAVAILABLE:
            holds.append(Reason.SPAM_CHECK_UNAVAILABLE)
    if holds:
        return Comment.Status.PENDING, holds
    if mode == ModerationPolicy.Mode.POST:
        if commenter_is_trusted(cleaned["author_email"], now):
            return Comment.Status.APPROVED, [Reason.TRUSTED]
        return Comment.Status.PENDING, [Reason.NEW_COMMENTER]
    return Comment.Status.PENDING, [Reason.PREMODERATION]


def _permalink(article: Article) -> str:
    from django.conf import settings

    try:
        return settings.SITE_URL + article.get_absolute_url()
    except Exception:  # the public URLs may not be routed in every deployment
        return settings.SITE_URL


# ---------------------------------------------------------------------------
# Reports from readers
# ---------------------------------------------------------------------------
def comment_flag(
    *,
    comment: Comment,
    reason: str,
    text: str = "",
    reporter_email: str = "",
    ip: str | None,
    user=None,
) -> Flag:
    """Record a reader's report. At COMMENTS_FLAG_THRESHOLD reports the comment goes back into
    the queue as flagged (still visible until a moderator decides) and moderators are told.

    One report counts per comment per network: reporting twice returns the first report.
    """
    errors: dict[str, list[str]] = {}
    if comment.status != Comment.Status.APPROVED:
        raise ValidationError({"comment": ["Only published comments can be reported."]})
    if reason not in Flag.Reason.values:
        errors["reason"] = ["Choose why you are reporting this comment."]
    details = text or ""
    if _invalid_characters(details):
        errors["text"] = [f"Your note {NOT_ALLOWED}."]
    else:
        details = comment_text.clean_body(details)
        if len(details) > 500:
            errors["text"] = [f"Your note can be at most 500 characters (it has {len(details)})."]
    email = ""
    if reporter_email and reporter_email.strip():
        email = _clean_email(reporter_email, errors)
        if "author_email" in errors:
            errors["reporter_email"] = errors.pop("author_email")
    if errors:
        raise ValidationError(errors)

    ip_key = ratelimit.ip_hash(ip)
    existing = Flag.objects.filter(comment=comment, reporter_ip_hash=ip_key).first()
    if existing:
        return existing
    if ip_key:
        limits = parse_rate_limits(comments_settings.FLAG_RATE_LIMITS)
        verdict = ratelimit.hit("flag-ip", ip_key, limits)
        if not verdict.allowed:
            raise RateLimited(
                verdict.retry_after,
                f"You have sent many reports. Please wait {verdict.retry_after} seconds.",
            )

    now = timezone.now()
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                comment=comment,
                reason=reason,
                text=details,
                reporter_email=email,
                reporter_ip=ip or None,
                reporter_ip_hash=ip_key,
                reporter=user if user is not None and user.is_authenticated else None,
                created_at=now,
            )
            _flag_threshold_check(comment_id=comment.pk, now=now)
    except IntegrityError:
        # The same reader's report arrived twice at once; the first one counts.
        return Flag.objects.get(comment=comment, reporter_ip_hash=ip_key)
    _surge_check(
        article=comment.article, kind="flags", threshold=comments_settings.SURGE_FLAGS, now=now
    )
    return flag


def _flag_threshold_check(*, comment_id: int, now) -> None:
    locked = Comment.objects.select_for_update().get(pk=comment_id)
    if locked.flagged_at is not None or locked.status != Comment.Status.APPROVED:
        return
    if locked.flags.count() < comments_settings.FLAG_THRESHOLD:
        return
    locked.flagged_at = now
    if Reason.FLAGGED not in locked.reasons:
        locked.reasons = [*locked.reasons, Reason.FLAGGED]
    locked.save(update_fields=["flagged_at", "reasons"])
    ModerationAction.objects.create(
        comment=locked,
        action=ModerationAction.Action.FLAG,
        from_status=locked.status,
        to_status=locked.status,
        reason=Reason.FLAGGED,
        note=f"{comments_settings.FLAG_THRESHOLD} reader reports",
        created_at=now,
    )
    _queue_task(
        "moderators_alert_task",
        kind="flagged",
        comment_id=locked.pk,
        stamp=int(now.timestamp()),
        detail="",
    )


# ---------------------------------------------------------------------------
# Moderation
# ---------------------------------------------------------------------------
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
    _require_moderator(actor)
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
            _after_commit_visible_change(locked.article_id)
        if target == Comment.Status.APPROVED and before != target:
            _queue_task("comment_notifications_task", comment_id=locked.pk)
    return locked


def comments_moderate(*, actor, comments, action: str, note: str = "") -> int:
    """The bulk form of comment_moderate; returns how many comments changed."""
    _require_moderator(actor)
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
    _require_moderator(actor)
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
            _after_commit_visible_change(locked.article_id)
    return locked


def comment_ban_author(*, actor, comment: Comment, kind: str, note: str = "") -> Ban:
    """Ban the comment's email address or IP network and mark the comment as spam."""
    _require_moderator(actor)
    if kind == Ban.Kind.EMAIL:
        if not comment.author_email:
            raise ValidationError("This comment has no email address to ban.")
        value_hash, label = ratelimit.email_hash(comment.author_email), comment.author_email
        action = ModerationAction.Action.BAN_EMAIL
    elif kind == Ban.Kind.IP:
        if not comment.ip_hash:
            raise ValidationError("This comment has no IP address to ban.")
        network = ratelimit.ip_network_key(comment.ip_address) if comment.ip_address else ""
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
    import ipaddress

    if not network:
        return ""
    net = ipaddress.ip_network(network, strict=False)
    prefix = 24 if net.version == 4 else 48
    return str(net.supernet(new_prefix=prefix)) if net.prefixlen > prefix else str(net)


def ban_create(*, actor, kind: str, value: str, note: str = "", expires_at=None) -> Ban:
    """Ban an email address or an IP address (its /64 network for IPv6) typed by a moderator."""
    _require_moderator(actor)
    value = (value or "").strip()
    errors: dict[str, list[str]] = {}
    if kind == Ban.Kind.EMAIL:
        email = _clean_email(value, errors)
        if errors:
            raise ValidationError({"value": errors["author_email"]})
        value_hash, label = ratelimit.email_hash(email), email
    elif kind == Ban.Kind.IP:
        network = ratelimit.ip_network_key(value)
        if not network:
            raise ValidationError({"value": ["Enter an IPv4 or IPv6 address."]})
        value_hash, label = ratelimit.keyed_hash("ip", network), _ip_label(network)
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
