"""Readers' writes: posting a comment through every check, and reporting one."""

import ipaddress
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from core import ratelimit
from core.errors import RateLimited, wait_text
from core.links import absolute_url

from .. import purges, spamcheck
from .. import text as comment_text
from ..identities import email_hash, ip_hash
from ..models import Ban, Comment, Flag, ModerationAction, ModerationPolicy, Reason, WordRule
from ..selectors import commenter_is_trusted, comments_closed_reason, moderation_mode
from ..validation import NOT_ALLOWED, clean_email, comment_validate, invalid_characters
from .common import (
    ALERT_TOPIC,
    NOTIFY_TOPIC,
    CommentsClosed,
    can_moderate,
    side_effect_record,
)

logger = logging.getLogger(__name__)


def _valid_ip(ip: str | None) -> str | None:
    """The caller's address if it is one (a misconfigured proxy header must not fail a post)."""
    if not ip:
        return None
    try:
        return str(ipaddress.ip_address(ip.strip()))
    except ValueError:
        logger.warning("comment from an unparseable client address", extra={"ip": ip[:100]})
        return None


def _check_rate_limits(*, ip_key: str, email: str) -> None:
    limits = settings.COMMENTS_RATE_LIMITS
    retry_after = 0
    for scope, identity in (("post-ip", ip_key), ("post-email", email_hash(email))):
        if identity:
            retry_after = max(retry_after, ratelimit.hit(scope, identity, limits).retry_after)
    if retry_after:
        raise RateLimited(
            f"You are posting too quickly. Please wait {wait_text(retry_after)} and try again.",
            retry_after=retry_after,
        )


def _surge_check(*, article: Article, kind: str, threshold: int, now) -> bool:
    """Count one post or flag on the article; past the threshold, pre-moderate it for a while.

    Returns True when this event switched the guard on (so moderators are told once).
    """
    seen = ratelimit.count(f"surge-{kind}", str(article.pk), settings.COMMENTS_SURGE_WINDOW)
    if seen <= threshold:
        return False
    until = now + timezone.timedelta(seconds=settings.COMMENTS_SURGE_HOLD)
    with transaction.atomic():
        policy, _ = ModerationPolicy.objects.select_for_update().get_or_create(article=article)
        if policy.surge_until and policy.surge_until > now:
            return False
        policy.surge_until = until
        policy.save(update_fields=["surge_until", "updated_at"])
        side_effect_record(
            ALERT_TOPIC,
            kind="surge",
            article_id=article.pk,
            stamp=int(until.timestamp()),
            detail=kind,
        )
    logger.warning("comment surge guard on", extra={"article_id": article.pk, "trigger": kind})
    return True


def _is_banned(*, ip_key: str, email: str, now) -> bool:
    match = Q(kind=Ban.Kind.EMAIL, value_hash=email_hash(email))
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
    if parent.depth + 1 >= settings.COMMENTS_MAX_DEPTH:
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
    ip = _valid_ip(ip)
    ip_key = ip_hash(ip)
    if not staff:
        _check_rate_limits(ip_key=ip_key, email=cleaned["author_email"])

    body_match = comment_text.normalize_for_matching(cleaned["body"])
    digest = comment_text.content_hash(cleaned["body"])
    since = now - timezone.timedelta(seconds=settings.COMMENTS_DUPLICATE_WINDOW)
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
        article=article, kind="posts", threshold=settings.COMMENTS_SURGE_POSTS, now=now
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
            ip_address=ip,
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
            purges.comments_changed(article.pk)
            side_effect_record(NOTIFY_TOPIC, comment_id=comment.pk)
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
    if comment_text.count_links(cleaned["body"]) > settings.COMMENTS_LINK_LIMIT:
        holds.append(Reason.LINK_LIMIT)
    if suspect:
        holds.append(Reason.SUSPECT_WORD)
    mode, surge = moderation_mode(article, now)
    if surge or surge_started:
        holds.append(Reason.SURGE)
    if spamcheck.is_enabled():
        verdict = spamcheck.check(
            permalink=absolute_url(article.get_absolute_url()),
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
    if invalid_characters(details):
        errors["text"] = [f"Your note {NOT_ALLOWED}."]
    else:
        details = comment_text.clean_body(details)
        if len(details) > 500:
            errors["text"] = [f"Your note can be at most 500 characters (it has {len(details)})."]
    email = ""
    if reporter_email and reporter_email.strip():
        email = clean_email(reporter_email, errors)
        if "author_email" in errors:
            errors["reporter_email"] = errors.pop("author_email")
    if errors:
        raise ValidationError(errors)

    ip = _valid_ip(ip)
    ip_key = ip_hash(ip)
    existing = Flag.objects.filter(comment=comment, reporter_ip_hash=ip_key).first()
    if existing:
        return existing
    if ip_key:
        ratelimit.enforce(
            "flag-ip",
            ip_key,
            settings.COMMENTS_FLAG_RATE_LIMITS,
            message="You have sent many reports. Please wait {wait}.",
        )

    now = timezone.now()
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                comment=comment,
                reason=reason,
                text=details,
                reporter_email=email,
                reporter_ip=ip,
                reporter_ip_hash=ip_key,
                reporter=user if user is not None and user.is_authenticated else None,
                created_at=now,
            )
            _flag_threshold_check(comment_id=comment.pk, now=now)
    except IntegrityError:
        # The same reader's report arrived twice at once; the first one counts.
        return Flag.objects.get(comment=comment, reporter_ip_hash=ip_key)
    _surge_check(
        article=comment.article, kind="flags", threshold=settings.COMMENTS_SURGE_FLAGS, now=now
    )
    return flag


def _flag_threshold_check(*, comment_id: int, now) -> None:
    locked = Comment.objects.select_for_update().get(pk=comment_id)
    if locked.flagged_at is not None or locked.status != Comment.Status.APPROVED:
        return
    if locked.flags.count() < settings.COMMENTS_FLAG_THRESHOLD:
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
        note=f"{settings.COMMENTS_FLAG_THRESHOLD} reader reports",
        created_at=now,
    )
    side_effect_record(
        ALERT_TOPIC,
        kind="flagged",
        comment_id=locked.pk,
        stamp=int(now.timestamp()),
        detail="",
    )
