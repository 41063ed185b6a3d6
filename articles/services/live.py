"""Live coverage: an article opened as a live blog receives short entries, posted by several
people at once and shown to readers at once, until an editor ends it.

Every function takes the acting user, asks articles.policy, changes state, writes the audit
entry and a revision of the article (with the entry concerned) so its history says who did
what and when, records the webhook event in the outbox and purges the live page's keys, in
one transaction. The admin's composer, the API and the demo all come through here.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from authors.models import Author
from core.errors import Conflict, InvalidInput, InvalidTransition

from .. import purges
from ..models import Article, Entry
from ..policy import ArticlePolicy
from ..richtext import sanitize_html
from .common import audit, record, require, store_revision, user_label

ENTRY_FIELDS = (
    "title",
    "body",
    "image",
    "image_alt",
    "image_caption",
    "is_key_event",
    "is_pinned",
)
TOPIC_PUBLISHED = "liveblog.entry.published"
TOPIC_UPDATED = "liveblog.entry.updated"
TOPIC_DELETED = "liveblog.entry.deleted"
# For the worker, which makes the picture's renditions (articles/images.py); not a webhook.
TOPIC_IMAGE_CHANGED = "article.entry_image_changed"


class EntryConflict(Conflict):
    """Someone changed the entry after the version the change was based on (409/412); it
    names who and when, as an article's EditConflict does."""

    def __init__(self, entry: Entry):
        self.current_version = entry.version
        self.changed_by = entry.updated_by
        self.changed_at = entry.updated_at
        when = timezone.localtime(entry.updated_at).strftime("%Y-%m-%d %H:%M:%S %Z")
        super().__init__(
            f"{user_label(entry.updated_by)} changed this entry at {when} (now version "
            f"{entry.version}). Your changes were not saved: review theirs and apply yours "
            "again."
        )


def _locked_article(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _describe(entry: Entry) -> str:
    text = entry.title or " ".join(strip_tags(entry.body).split())
    return f"#{entry.pk} ({text[:60]})" if text else f"#{entry.pk}"


# ---------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------
@transaction.atomic
def live_coverage_open(*, user, article: Article, summary: str | None = None) -> Article:
    """Turn the article into live coverage, or open ended coverage again. Editors only."""
    locked = _locked_article(article)
    if locked.is_live:
        raise InvalidTransition("This article's live coverage is running already.")
    require(ArticlePolicy(user, locked).can_open_live(), "Only editors can open live coverage.")
    now = timezone.now()
    reopened = locked.live_since is not None
    if not reopened:
        locked.live_since = now
    locked.live_ended_at = None
    if summary is not None:
        locked.live_summary = sanitize_html(summary)
    locked.last_edited_by = user
    locked.save(update_fields=["live_since", "live_ended_at", "live_summary", "last_edited_by"])
    action = "live_reopen" if reopened else "live_open"
    comment = "Live coverage opened again" if reopened else "Live coverage opened"
    audit(locked, actor=user, action=action, from_status=locked.status, comment=comment)
    store_revision(locked, user=user, comment=comment)
    purges.live_coverage_changed(locked)
    return locked


@transaction.atomic
def live_coverage_end(*, user, article: Article, summary: str | None = None) -> Article:
    """End the coverage: the page keeps every entry, says it has ended and shows the summary
    at the top. Editors only."""
    locked = _locked_article(article)
    if not locked.is_live:
        raise InvalidTransition("This article has no running live coverage to end.")
    require(ArticlePolicy(user, locked).can_end_live(), "Only editors can end live coverage.")
    locked.live_ended_at = timezone.now()
    if summary is not None:
        locked.live_summary = sanitize_html(summary)
    locked.last_edited_by = user
    locked.save(update_fields=["live_ended_at", "live_summary", "last_edited_by"])
    audit(locked, actor=user, action="live_end", from_status=locked.status)
    store_revision(locked, user=user, comment="Live coverage ended")
    purges.live_coverage_changed(locked)
    return locked


@transaction.atomic
def live_coverage_remove(*, user, article: Article) -> Article:
    """Turn live coverage, running or ended, back into a plain article: its page shows the
    article's own text again, without the LIVE label, the summary or the entries. The entries
    are kept (and in the history); opening coverage again brings them back. Editors only."""
    locked = _locked_article(article)
    if not locked.is_live_coverage:
        raise InvalidTransition("This article is not live coverage.")
    require(
        ArticlePolicy(user, locked).can_remove_live(),
        "Only editors can turn live coverage back into an article.",
    )
    locked.live_since = locked.live_ended_at = None
    locked.last_edited_by = user
    locked.save(update_fields=["live_since", "live_ended_at", "last_edited_by"])
    comment = "Live coverage turned back into an article"
    audit(locked, actor=user, action="live_remove", from_status=locked.status, comment=comment)
    store_revision(locked, user=user, comment=comment)
    purges.live_coverage_changed(locked)
    return locked


@transaction.atomic
def live_summary_set(*, user, article: Article, summary: str) -> Article:
    """The summary readers see above the entries. Editors only."""
    locked = _locked_article(article)
    require(
        ArticlePolicy(user, locked).can_edit_live_summary(),
        "Only editors can change the summary of live coverage.",
    )
    locked.live_summary = sanitize_html(summary)
    locked.last_edited_by = user
    locked.save(update_fields=["live_summary", "last_edited_by"])
    store_revision(locked, user=user, comment="Live coverage summary changed")
    purges.live_coverage_changed(locked)
    return locked


# ---------------------------------------------------------------------------
# Entries
# ---------------------------------------------------------------------------
def _clean_entry(entry: Entry, *, new_image: bool) -> None:
    entry.title = " ".join((entry.title or "").split())
    entry.body = sanitize_html(entry.body)
    entry.image_alt = " ".join((entry.image_alt or "").split())
    entry.image_caption = " ".join((entry.image_caption or "").split())
    if not strip_tags(entry.body).strip():
        raise InvalidInput("Write the entry's text first.", errors={"body": ["Write the text."]})
    if entry.image and not entry.image_alt:
        raise InvalidInput(
            "Describe the image for readers who cannot see it.",
            errors={"image_alt": ["Describe the image."]},
        )
    try:
        exclude = ["article", "authors", "created_by", "updated_by"]
        entry.full_clean(exclude=exclude if new_image else [*exclude, "image"])
    except ValidationError as exc:
        raise InvalidInput(
            "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()),
            errors=exc.message_dict,
        ) from None


def _authors_for(user, authors: Iterable[Author] | None) -> list[Author]:
    """The authors given, or the poster's own author profile."""
    if authors is not None:
        chosen = list(dict.fromkeys(authors))
        if chosen:
            return chosen
    own = Author.objects.filter(user=user).first() if user is not None else None
    return [own] if own is not None else []


def _unpin_others(entry: Entry) -> None:
    if entry.is_pinned:
        Entry.objects.filter(article_id=entry.article_id, is_pinned=True).exclude(
            pk=entry.pk
        ).update(is_pinned=False)


def _announce(article: Article, entry_id: int, topic: str) -> None:
    if article.is_published:  # nothing about an unpublished article leaves the newsroom
        record(topic, article, entry_id=entry_id)
    purges.live_entries_changed(article)


@transaction.atomic
def entry_post(
    *,
    user,
    article: Article,
    body: str,
    title: str = "",
    authors: Iterable[Author] | None = None,
    image=None,
    image_alt: str = "",
    image_caption: str = "",
    is_key_event: bool = False,
    is_pinned: bool = False,
) -> Entry:
    """Post an entry to running coverage; it is on the live page at once. The authors are
    the poster's own profile unless given."""
    # No lock on the article: several people post at once and must not wait for each other.
    locked = Article.objects.get(pk=article.pk)
    rules = ArticlePolicy(user, locked)
    if not locked.is_live:
        raise InvalidTransition("Live coverage of this article is not running: open it first.")
    require(rules.can_post_entry(), "You may not post to this live coverage.")
    entry = Entry(
        article=locked,
        title=title or "",
        body=body or "",
        image=image or "",
        image_alt=image_alt or "",
        image_caption=image_caption or "",
        is_key_event=bool(is_key_event),
        is_pinned=bool(is_pinned),
        created_by=user,
        updated_by=user,
    )
    _clean_entry(entry, new_image=bool(image))
    entry.save()
    entry.authors.set(_authors_for(user, authors))
    _unpin_others(entry)
    if entry.image:
        record(TOPIC_IMAGE_CHANGED, locked, entry_id=entry.pk)
    store_revision(
        locked, user=user, comment=f"Live entry posted: {_describe(entry)}", extra=[entry]
    )
    _announce(locked, entry.pk, TOPIC_PUBLISHED)
    return entry


@transaction.atomic
def entry_update(
    *,
    user,
    entry: Entry,
    data: dict,
    authors: Iterable[Author] | None = None,
    expected_version: int | None = None,
) -> Entry:
    """Change an entry (``data`` holds any of ENTRY_FIELDS). Editors any entry, others their
    own while the coverage runs; a change based on an older version is refused."""
    locked = Entry.objects.select_for_update().select_related("article").get(pk=entry.pk)
    require(
        ArticlePolicy(user, locked.article).can_edit_entry(locked),
        "Editors may edit any entry; reporters only their own while the coverage runs.",
    )
    if expected_version is not None and expected_version != locked.version:
        raise EntryConflict(locked)
    unknown = set(data) - set(ENTRY_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    image_before = locked.image.name if locked.image else ""
    for name, value in data.items():
        setattr(locked, name, value if value is not None else "")
    _clean_entry(locked, new_image=bool(data.get("image")))
    image_changed = "image" in data and (locked.image.name if locked.image else "") != image_before
    if image_changed:  # the old picture's copies are not this one's
        locked.image_renditions = {}
    locked.version += 1
    locked.updated_by = user
    locked.save()
    if authors is not None:
        locked.authors.set(_authors_for(user, authors))
    _unpin_others(locked)
    article = locked.article
    if image_changed:
        record(TOPIC_IMAGE_CHANGED, article, entry_id=locked.pk)
    comment = f"Live entry edited: {_describe(locked)}"
    store_revision(article, user=user, comment=comment, extra=[locked])
    _announce(article, locked.pk, TOPIC_UPDATED)
    return locked


@transaction.atomic
def entry_delete(*, user, entry: Entry, expected_version: int | None = None) -> None:
    """Remove an entry from the page. Its last text stays in the article's history."""
    locked = Entry.objects.select_for_update().select_related("article").get(pk=entry.pk)
    article = locked.article
    require(
        ArticlePolicy(user, article).can_delete_entry(locked),
        "Editors may delete any entry; reporters only their own while the coverage runs.",
    )
    if expected_version is not None and expected_version != locked.version:
        raise EntryConflict(locked)
    entry_id = locked.pk
    comment = f"Live entry deleted: {_describe(locked)}"
    store_revision(article, user=user, comment=comment, extra=[locked])
    locked.delete()
    _announce(article, entry_id, TOPIC_DELETED)
