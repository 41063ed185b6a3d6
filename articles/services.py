"""Article writes: creating and editing, the editorial workflow, corrections, proposals, previews.

Every function takes the acting user, checks what they may do (articles.policies), changes
state, writes the audit entry and a revision, and records side effects in the outbox, in that
order and in one transaction. The admin, the API and the worker all come through here.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import reversion
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from authors.models import Author
from core.errors import Conflict, InvalidTransition, NotAllowed
from core.text import clean_text
from outbox.services import event_record

from . import policies
from .models import (
    Article,
    Byline,
    ChangeProposal,
    Correction,
    PreviewLink,
    RelatedLink,
    SlugRedirect,
    WorkflowEvent,
)
from .richtext import sanitize_html

logger = logging.getLogger(__name__)

Status = Article.Status

# Content fields any permitted editor of the article may change through article_update.
CONTENT_FIELDS = {
    "title", "slug", "dek", "body", "section", "credit_line",
    "hero_image", "hero_alt", "hero_caption", "hero_credit",
    "seo_title", "meta_description", "canonical_url", "allow_comments", "is_breaking",
}  # fmt: skip
# Only editors set the expiry; publish_at is set by the schedule transition.
EDITOR_FIELDS = {"unpublish_at"}
# What a reporter may propose for a live article.
PROPOSABLE_FIELDS = {"title", "dek", "body", "seo_title", "meta_description", "credit_line"}
DEFAULT_PREVIEW_LIFETIME = timedelta(hours=48)
LATE_PUBLISH_LOG_THRESHOLD = timedelta(seconds=10)


# ---------------------------------------------------------------------------
# Domain errors (core.errors): entry points turn them into form errors, 403 and 409 responses
# ---------------------------------------------------------------------------
class EditConflict(Conflict):
    """Someone saved the article after the version the change was based on (409/412)."""

    def __init__(self, article: Article):
        self.current_version = article.version
        self.changed_by = article.last_edited_by
        self.changed_at = article.modified_at
        who = _user_label(self.changed_by)
        when = timezone.localtime(self.changed_at).strftime("%Y-%m-%d %H:%M:%S %Z")
        super().__init__(
            f"{who} changed this article at {when} (now version {article.version}). "
            "Your changes were not saved: review their version and apply your edits again."
        )


@dataclass(frozen=True)
class BylineSpec:
    author: Author
    role: str = ""


@dataclass(frozen=True)
class RelatedSpec:
    target: Article | None = None
    url: str = ""
    title: str = ""


def _user_label(user) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _audit(article: Article, *, actor, action: str, from_status: str, comment: str = "") -> None:
    WorkflowEvent.objects.create(
        article=article,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_status=from_status,
        to_status=article.status,
        comment=comment,
    )


def _revision(article: Article, *, user, comment: str) -> None:
    """Store a full snapshot of the article (with bylines, related links, corrections)."""
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(article)
        for related in (*article.bylines.all(), *article.related_links.all()):
            reversion.add_to_revision(related)
        for correction in article.corrections.all():
            reversion.add_to_revision(correction)
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(comment)


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """A slug from the title, unique among articles and recorded old slugs."""
    base = slugify(title)[:280].strip("-") or "article"
    candidate, n = base, 1
    while (
        Article.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists()
        or SlugRedirect.objects.filter(old_slug=candidate).exclude(article_id=exclude_pk).exists()
    ):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _normalize_bylines(bylines: Iterable) -> list[BylineSpec]:
    specs = []
    for item in bylines:
        if isinstance(item, BylineSpec):
            specs.append(item)
        elif isinstance(item, Author):
            specs.append(BylineSpec(author=item))
        elif isinstance(item, tuple | list):
            specs.append(BylineSpec(author=item[0], role=item[1] if len(item) > 1 else ""))
        else:
            raise TypeError(f"Unsupported byline {item!r}")
    seen = set()
    for spec in specs:
        if spec.author.pk in seen:
            raise ValidationError({"authors": f"{spec.author} is on the byline twice."})
        seen.add(spec.author.pk)
        if len(spec.role) > 100:
            raise ValidationError({"authors": "A byline role is at most 100 characters."})
    return specs


def _set_bylines(article: Article, bylines: Iterable) -> None:
    specs = _normalize_bylines(bylines)
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, author=spec.author, role=spec.role.strip(), position=i)
        for i, spec in enumerate(specs)
    )


def _set_related(article: Article, related: Iterable) -> None:
    links = []
    for i, item in enumerate(related):
        spec = item if isinstance(item, RelatedSpec) else None
        if isinstance(item, Article):
            spec = RelatedSpec(target=item)
        elif isinstance(item, dict):
            spec = RelatedSpec(
                target=item.get("target"), url=item.get("url", ""), title=item.get("title", "")
            )
        if spec is None:
            raise TypeError(f"Unsupported related link {item!r}")
        if spec.target is not None and spec.target.pk == article.pk:
            raise ValidationError({"related": "An article cannot be related to itself."})
        if spec.target is None and not (spec.url and spec.title):
            raise ValidationError({"related": "An external related link needs a URL and a title."})
        link = RelatedLink(
            article=article,
            target=spec.target,
            url="" if spec.target else spec.url,
            title=spec.title,
            position=i,
        )
        link.full_clean(exclude=["article", "target"])
        links.append(link)
    article.related_links.all().delete()
    RelatedLink.objects.bulk_create(links)


def _apply_fields(article: Article, data: dict, *, allowed: set[str]) -> set[str]:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    changed = set()
    for field, value in data.items():
        value = _clean(Article, field, value)
        if field == "body":
            value = sanitize_html(value or "")
        if field == "slug":
            value = slugify(value or "")
            if not value:
                raise ValidationError({"slug": "Enter a slug made of letters, numbers or hyphens."})
        if getattr(article, field) != value:
            setattr(article, field, value)
            changed.add(field)
    return changed


def _clean(model, field: str, value):
    """Text without the characters XML cannot carry (core.text), line breaks kept in text
    fields; everything else as given."""
    multiline = isinstance(model._meta.get_field(field), models.TextField)
    return clean_text(value, multiline=multiline)


def _tag_names(tags: Iterable[str]) -> list[str]:
    names = (" ".join(clean_text(str(name), multiline=False).split()) for name in tags)
    return [name for name in names if name]


def _validate(article: Article, *, changed: set[str] | None = None) -> None:
    exclude = ["search_vector", "tags"]
    if changed is not None and "hero_image" not in changed:
        # An unchanged image is not read back from storage: slow on object storage, and a
        # missing file must not block every other edit.
        exclude.append("hero_image")
    article.full_clean(exclude=exclude, validate_constraints=True)


def _queue_renditions(article: Article) -> None:
    """The worker makes the hero image's renditions after commit (articles/images.py)."""
    _record("article.hero_image_changed", article)


def _record(topic: str, article: Article, **extra) -> None:
    event_record(topic=topic, payload={"article_id": article.pk, **extra})


# ---------------------------------------------------------------------------
# Creating and editing
# ---------------------------------------------------------------------------
@transaction.atomic
def article_create(
    *,
    user,
    title: str,
    section,
    body: str = "",
    bylines: Iterable = (),
    tags: Iterable[str] = (),
    related: Iterable = (),
    **fields,
) -> Article:
    """Create a draft. The creator is recorded; bylines keep their order."""
    _require(policies.can_create(user), "You do not have permission to create articles.")
    article = Article(
        title=clean_text((title or "").strip(), multiline=False),
        section=section,
        created_by=user,
        last_edited_by=user,
        status=Status.DRAFT,
    )
    slug = fields.pop("slug", "")
    _apply_fields(article, {"body": body, **fields}, allowed=CONTENT_FIELDS)
    article.slug = slugify(slug) if slug else unique_slug(article.title)
    _validate(article)
    article.save()
    if article.hero_image:
        _queue_renditions(article)
    _set_bylines(article, bylines)
    _set_related(article, related)
    article.tags.set(_tag_names(tags))
    _audit(article, actor=user, action="create", from_status="")
    _revision(article, user=user, comment="Created")
    return article


@transaction.atomic
def article_update(
    *,
    user,
    article: Article,
    data: dict,
    expected_version: int | None,
    bylines: Iterable | None = None,
    tags: Iterable[str] | None = None,
    related: Iterable | None = None,
    substantive: bool = False,
    comment: str = "",
) -> Article:
    """Save an edit as a new revision; a live article changes at once.

    ``expected_version`` is the version the editor started from: if someone saved since, nothing
    is written and EditConflict names who and when. ``substantive`` moves the reader-visible
    "Updated" time of a published article.
    """
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if expected_version is not None and locked.version != expected_version:
        raise EditConflict(locked)
    if policies.can_propose_change(user, locked):
        raise NotAllowed(
            "This article is live: propose your change for an editor to review instead."
        )
    _require(policies.can_edit(user, locked), "You do not have permission to edit this article.")
    allowed = CONTENT_FIELDS | (EDITOR_FIELDS if policies.is_editor(user) else set())
    old_slug = locked.slug
    changed = _apply_fields(locked, data, allowed=allowed)
    if "slug" in changed and (
        Article.objects.filter(slug=locked.slug).exclude(pk=locked.pk).exists()
        or SlugRedirect.objects.filter(old_slug=locked.slug).exclude(article=locked).exists()
    ):
        raise ValidationError({"slug": "Another article already uses this slug."})
    _validate(locked, changed=changed)
    if "hero_image" in changed:
        locked.hero_renditions = {}  # they belong to the old image
    if "slug" in changed and locked.first_published_at is not None:
        # A published URL never breaks: the old slug redirects to the new one.
        SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": locked})
        SlugRedirect.objects.filter(old_slug=locked.slug).delete()
    now = timezone.now()
    if substantive and locked.status == Status.PUBLISHED:
        locked.updated_at = now
    locked.version += 1
    locked.last_edited_by = user
    locked.save()
    if "hero_image" in changed:
        _queue_renditions(locked)
    if bylines is not None:
        _set_bylines(locked, bylines)
    if related is not None:
        _set_related(locked, related)
    if tags is not None:
        locked.tags.set(_tag_names(tags))
    _revision(
        locked, user=user, comment=comment or ("Substantive edit" if substantive else "Edited")
    )
    if locked.status == Status.PUBLISHED:
        _record("article.updated", locked, substantive=substantive)
    return locked


# ---------------------------------------------------------------------------
# Workflow transitions: one function per transition
# ---------------------------------------------------------------------------
def _transition(article: Article, *, allowed_from: set[str], verb: str) -> Article:
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status not in allowed_from:
        names = ", ".join(sorted(Status(s).label.lower() for s in allowed_from))
        current = locked.get_status_display().lower()
        raise InvalidTransition(f"Only {names} articles can be {verb}; this one is {current}.")
    return locked


def _go_live(article: Article, *, actor, now: datetime, action: str, comment: str) -> Article:
    from_status = article.status
    article.status = Status.PUBLISHED
    article.published_at = now
    if article.first_published_at is None:
        article.first_published_at = now
    article.publish_at = None if action != "publish_scheduled" else article.publish_at
    if action != "publish_scheduled":
        # The delay shown in the admin ("published 4 min late") is the scheduler's, not stale.
        article.publish_delay = None
    article.version += 1
    if actor is not None:
        article.last_edited_by = actor
    article.save()
    _audit(article, actor=actor, action=action, from_status=from_status, comment=comment)
    _revision(article, user=actor, comment=comment or "Published")
    _record("article.published", article, is_breaking=article.is_breaking)
    return article


@transaction.atomic
def article_submit(*, user, article: Article, comment: str = "") -> Article:
    """Draft -> in review: the reporter hands the article to the editors."""
    locked = _transition(article, allowed_from={Status.DRAFT}, verb="submitted for review")
    _require(policies.can_edit(user, locked), "You may only submit articles you can edit.")
    locked.status = Status.IN_REVIEW
    locked.version += 1
    locked.last_edited_by = user
    locked.save()
    _audit(locked, actor=user, action="submit", from_status=Status.DRAFT, comment=comment)
    return locked


@transaction.atomic
def article_publish(
    *, user, article: Article, publish_at: datetime | None = None, comment: str = ""
) -> Article:
    """Publish now, or schedule when ``publish_at`` is in the future. Editors only."""
    if publish_at is not None and publish_at > timezone.now():
        return article_schedule(user=user, article=article, publish_at=publish_at, comment=comment)
    _require(policies.is_editor(user), "Only editors can publish articles.")
    locked = _transition(
        article,
        allowed_from={Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.UNPUBLISHED},
        verb="published",
    )
    return _go_live(locked, actor=user, now=timezone.now(), action="publish", comment=comment)


@transaction.atomic
def article_schedule(*, user, article: Article, publish_at: datetime, comment: str = "") -> Article:
    """Set a future publish time; the scheduler publishes it then. Editors only."""
    _require(policies.is_editor(user), "Only editors can schedule articles.")
    if publish_at is None or publish_at <= timezone.now():
        raise ValidationError({"publish_at": "Choose a time in the future to schedule."})
    locked = _transition(
        article,
        allowed_from={Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.UNPUBLISHED},
        verb="scheduled",
    )
    from_status = locked.status
    locked.status = Status.SCHEDULED
    locked.publish_at = publish_at
    locked.version += 1
    locked.last_edited_by = user
    locked.save()
    when = timezone.localtime(publish_at).strftime("%Y-%m-%d %H:%M %Z")
    _audit(locked, actor=user, action="schedule", from_status=from_status, comment=comment or when)
    return locked


@transaction.atomic
def article_unpublish(*, user, article: Article, comment: str = "") -> Article:
    """Withdraw a live article (it is kept, and can be published again). Editors only."""
    _require(policies.is_editor(user), "Only editors can unpublish articles.")
    locked = _transition(article, allowed_from={Status.PUBLISHED}, verb="unpublished")
    return _withdraw(locked, actor=user, action="unpublish", comment=comment)


def _withdraw(article: Article, *, actor, action: str, comment: str, to=Status.UNPUBLISHED):
    from_status = article.status
    article.status = to
    article.version += 1
    if actor is not None:
        article.last_edited_by = actor
    article.save()
    _audit(article, actor=actor, action=action, from_status=from_status, comment=comment)
    if from_status == Status.PUBLISHED:
        _record("article.unpublished", article)
    return article


@transaction.atomic
def article_return_to_draft(*, user, article: Article, comment: str = "") -> Article:
    """Any state -> draft, by an editor (a live article is withdrawn from readers)."""
    _require(policies.is_editor(user), "Only editors can return articles to draft.")
    locked = _transition(
        article,
        allowed_from={Status.IN_REVIEW, Status.SCHEDULED, Status.PUBLISHED, Status.UNPUBLISHED},
        verb="returned to draft",
    )
    if locked.status == Status.SCHEDULED:
        locked.publish_at = None
    return _withdraw(locked, actor=user, action="return_to_draft", comment=comment, to=Status.DRAFT)


def article_publish_due(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Publish every scheduled article whose time has come; return their ids.

    Each article is claimed with a row lock that skips rows another sweep holds, and published in
    its own transaction, so concurrent sweeps never publish one twice. An article that fails to
    publish is logged and passed over for the rest of this sweep, so it cannot hold back the
    others; the next sweep tries it again. Safe to call any number of times.
    """
    published: list[int] = []
    failed: list[int] = []
    for _ in range(limit):
        claimed = None
        try:
            with transaction.atomic():
                cutoff = now or timezone.now()
                claimed = (
                    Article.objects.scheduled_due(cutoff)
                    .exclude(pk__in=failed)
                    .order_by("publish_at", "pk")
                    .select_for_update(skip_locked=True)
                    .first()
                )
                if claimed is None:
                    break
                _publish_scheduled(claimed)
        except Exception:
            if claimed is None:
                raise
            logger.exception(
                "Scheduled article failed to publish", extra={"article_id": claimed.pk}
            )
            failed.append(claimed.pk)
            continue
        published.append(claimed.pk)
    return published


def _publish_scheduled(article: Article) -> None:
    moment = timezone.now()
    delay = max(moment - article.publish_at, timedelta(0))
    article.publish_delay = delay
    note = f"Published by the scheduler, {_human_delay(delay)} after its time."
    if delay >= LATE_PUBLISH_LOG_THRESHOLD:
        logger.warning(
            "Scheduled article published late",
            extra={"article_id": article.pk, "delay_seconds": delay.total_seconds()},
        )
    _go_live(article, actor=None, now=moment, action="publish_scheduled", comment=note)


def article_expire_due(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Withdraw every live article whose unpublish_at has passed; return their ids."""
    expired: list[int] = []
    for _ in range(limit):
        with transaction.atomic():
            article = (
                Article.objects.expiry_due(now or timezone.now())
                .order_by("unpublish_at", "pk")
                .select_for_update(skip_locked=True)
                .first()
            )
            if article is None:
                break
            article.unpublish_at = None
            _withdraw(
                article, actor=None, action="expire", comment="Expired at its unpublish time."
            )
            expired.append(article.pk)
    return expired


def _human_delay(delay: timedelta) -> str:
    seconds = int(delay.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


# ---------------------------------------------------------------------------
# Corrections and updates shown to readers
# ---------------------------------------------------------------------------
@transaction.atomic
def correction_add(*, user, article: Article, kind: str, text: str) -> Correction:
    """Add a dated correction, clarification or update note. Editors only."""
    _require(policies.is_editor(user), "Only editors can add corrections.")
    text = clean_text((text or "").strip())
    correction = Correction(article=article, kind=kind, text=text, created_by=user)
    correction.full_clean(exclude=["article", "created_by"])
    correction.save()
    _audit(article, actor=user, action="correction_add", from_status=article.status, comment=text)
    _revision(article, user=user, comment=f"Added a {correction.get_kind_display().lower()}")
    if article.status == Status.PUBLISHED:
        _record("article.corrected", article, correction_id=correction.pk)
    return correction


@transaction.atomic
def correction_update(*, user, correction: Correction, kind: str, text: str) -> Correction:
    """Edit a note; the previous wording stays in the article's revision history."""
    _require(policies.is_editor(user), "Only editors can edit corrections.")
    correction.kind = kind
    correction.text = clean_text((text or "").strip())
    correction.full_clean(exclude=["article", "created_by"])
    correction.save()
    article = correction.article
    _audit(article, actor=user, action="correction_edit", from_status=article.status, comment=text)
    _revision(article, user=user, comment="Edited a correction")
    if article.status == Status.PUBLISHED:
        _record("article.corrected", article, correction_id=correction.pk)
    return correction


@transaction.atomic
def correction_delete(*, user, correction: Correction, reason: str) -> None:
    """Remove a note. Editors only, with a reason; the removed text is kept in the audit log."""
    _require(policies.is_editor(user), "Only editors can delete corrections.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why this note is being removed."})
    article = correction.article
    _audit(
        article,
        actor=user,
        action="correction_delete",
        from_status=article.status,
        comment=f"Removed {correction.get_kind_display().lower()} of "
        f"{correction.noted_at:%Y-%m-%d}: {correction.text!r}. Reason: {reason.strip()}",
    )
    correction.delete()
    _revision(article, user=user, comment="Removed a correction")
    if article.status == Status.PUBLISHED:
        _record("article.corrected", article)


# ---------------------------------------------------------------------------
# Proposed changes to live articles
# ---------------------------------------------------------------------------
@transaction.atomic
def change_proposal_create(*, user, article: Article, data: dict) -> ChangeProposal:
    """A byline reporter proposes an edit to a live article; readers keep the live version."""
    _require(
        policies.can_propose_change(user, article),
        "Only reporters on this article's byline can propose changes to it.",
    )
    unknown = set(data) - PROPOSABLE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be proposed."))
    data = {k: _clean(Article, k, v) for k, v in data.items()}
    clean = {k: (sanitize_html(v) if k == "body" else (v or "").strip()) for k, v in data.items()}
    proposal = ChangeProposal.objects.create(
        article=article, proposed_by=user, data=clean, base_version=article.version
    )
    _audit(article, actor=user, action="propose_change", from_status=article.status)
    return proposal


@transaction.atomic
def change_proposal_accept(*, user, proposal: ChangeProposal, substantive: bool = False) -> Article:
    """An editor publishes a proposed change as a new revision of the live article."""
    _require(policies.is_editor(user), "Only editors can accept proposed changes.")
    proposal = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ChangeProposal.Status.PENDING:
        raise InvalidTransition("This proposal has already been decided.")
    who = _user_label(proposal.proposed_by)
    article = article_update(
        user=user,
        article=proposal.article,
        data=proposal.data,
        expected_version=None,
        substantive=substantive,
        comment=f"Accepted the change proposed by {who}",
    )
    proposal.status = ChangeProposal.Status.ACCEPTED
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(article, actor=user, action="accept_change", from_status=article.status, comment=who)
    return article


@transaction.atomic
def change_proposal_reject(*, user, proposal: ChangeProposal, comment: str = "") -> ChangeProposal:
    _require(policies.is_editor(user), "Only editors can reject proposed changes.")
    proposal = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ChangeProposal.Status.PENDING:
        raise InvalidTransition("This proposal has already been decided.")
    proposal.status = ChangeProposal.Status.REJECTED
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    article = proposal.article
    _audit(article, actor=user, action="reject_change", from_status=article.status, comment=comment)
    return proposal


# ---------------------------------------------------------------------------
# Revisions
# ---------------------------------------------------------------------------
@transaction.atomic
def article_revert(*, user, article: Article, version, expected_version: int | None) -> Article:
    """Bring back the content of an earlier revision, as a new revision."""
    from .revisions import snapshot_from_version

    snapshot = snapshot_from_version(version)
    if snapshot.article_id != article.pk:
        raise ValidationError({"version": "That revision belongs to another article."})
    data = {f: v for f, v in snapshot.fields.items() if f in CONTENT_FIELDS}
    return article_update(
        user=user,
        article=article,
        data=data,
        expected_version=expected_version,
        bylines=[BylineSpec(author=a, role=r) for a, r in snapshot.bylines],
        comment=f"Reverted to the revision of {snapshot.created_at:%Y-%m-%d %H:%M} UTC",
    )


# ---------------------------------------------------------------------------
# Preview links
# ---------------------------------------------------------------------------
@transaction.atomic
def preview_link_create(
    *, user, article: Article, pin_revision: bool = True, lifetime: timedelta | None = None
) -> tuple[PreviewLink, str]:
    """A link that shows the article to someone without an account, until it expires.

    Pinned links show the latest revision at the time of sharing; unpinned ones follow edits.
    Returns the link and its signed token.
    """
    from .previews import preview_token

    _require(
        policies.can_edit(user, article) or policies.is_editor(user),
        "You may only share previews of articles you can edit.",
    )
    version = None
    if pin_revision:
        from reversion.models import Version

        version = Version.objects.get_for_object(article).first()
    link = PreviewLink.objects.create(
        article=article,
        version=version,
        created_by=user,
        expires_at=timezone.now() + (lifetime or DEFAULT_PREVIEW_LIFETIME),
    )
    _audit(article, actor=user, action="preview_share", from_status=article.status)
    return link, preview_token(link)


@transaction.atomic
def preview_link_revoke(*, user, link: PreviewLink) -> PreviewLink:
    _require(
        policies.is_editor(user) or link.created_by_id == user.pk,
        "Only editors or the person who shared it can revoke a preview link.",
    )
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = user
        link.save(update_fields=["revoked_at", "revoked_by"])
        _audit(link.article, actor=user, action="preview_revoke", from_status=link.article.status)
    return link
