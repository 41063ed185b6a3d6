"""Creating and editing articles: content fields, bylines, related links and tags."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from authors.models import Author
from core.errors import NotAllowed
from core.text import clean_text

from .. import policy, purges
from ..models import Article, Byline, RelatedLink, SlugRedirect
from ..policy import ArticlePolicy
from ..richtext import sanitize_html
from .common import (
    EditConflict,
    audit,
    clean_field,
    record,
    require,
    store_revision,
    tag_names,
)

Status = Article.Status

# Content fields any permitted editor of the article may change through article_update.
CONTENT_FIELDS = {
    "title", "slug", "dek", "body", "section", "credit_line",
    "hero_image", "hero_alt", "hero_caption", "hero_credit",
    "seo_title", "meta_description", "canonical_url", "allow_comments", "is_breaking",
}  # fmt: skip
# Only editors set the expiry; publish_at is set by the schedule transition.
EDITOR_FIELDS = {"unpublish_at"}


@dataclass(frozen=True)
class BylineSpec:
    author: Author
    role: str = ""


@dataclass(frozen=True)
class RelatedSpec:
    target: Article | None = None
    url: str = ""
    title: str = ""


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


def _require_free_slug(slug: str, *, article: Article | None = None) -> None:
    """A slug no other article has, nor had: an old URL keeps leading to its own article."""
    others = Article.objects.filter(slug=slug)
    redirects = SlugRedirect.objects.filter(old_slug=slug)
    if article is not None and article.pk is not None:
        others, redirects = others.exclude(pk=article.pk), redirects.exclude(article=article)
    if others.exists():
        raise ValidationError({"slug": "Another article already uses this slug."})
    if redirects.exists():
        raise ValidationError(
            {"slug": "Another article used this slug before, and its old links lead there."}
        )


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


def _related_specs(related: Iterable) -> list[RelatedSpec]:
    specs = []
    for item in related:
        spec = item if isinstance(item, RelatedSpec) else None
        if isinstance(item, Article):
            spec = RelatedSpec(target=item)
        elif isinstance(item, dict):
            spec = RelatedSpec(
                target=item.get("target"), url=item.get("url", ""), title=item.get("title", "")
            )
        if spec is None:
            raise TypeError(f"Unsupported related link {item!r}")
        specs.append(spec)
    return specs


def _set_related(article: Article, related: Iterable, *, user) -> None:
    specs = _related_specs(related)
    targets = {spec.target.pk for spec in specs if spec.target is not None}
    visible = set(policy.visible_to(user).filter(pk__in=targets).values_list("pk", flat=True))
    links = []
    for i, spec in enumerate(specs):
        if spec.target is not None and spec.target.pk == article.pk:
            raise ValidationError({"related": "An article cannot be related to itself."})
        if spec.target is not None and spec.target.pk not in visible:
            # As if it did not exist: another desk's draft is not named to this user.
            raise ValidationError({"related": f"No article has the id {spec.target.pk}."})
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
        value = clean_field(Article, field, value)
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


def _validate(article: Article, *, changed: set[str] | None = None) -> None:
    exclude = ["search_vector", "tags"]
    if changed is not None and "hero_image" not in changed:
        # An unchanged image is not read back from storage: slow on object storage, and a
        # missing file must not block every other edit.
        exclude.append("hero_image")
    article.full_clean(exclude=exclude, validate_constraints=True)


def _queue_renditions(article: Article) -> None:
    """The worker makes the hero image's renditions after commit (articles/images.py)."""
    record("article.hero_image_changed", article)


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
    require(policy.can_create(user), "You do not have permission to create articles.")
    article = Article(
        title=clean_text((title or "").strip(), multiline=False),
        section=section,
        created_by=user,
        last_edited_by=user,
        status=Status.DRAFT,
    )
    slug = fields.pop("slug", "")
    _apply_fields(article, {"body": body, **fields}, allowed=CONTENT_FIELDS)
    if slug:
        article.slug = slugify(slug)
        _require_free_slug(article.slug)
    else:
        article.slug = unique_slug(article.title)
    _validate(article)
    article.save()
    if article.hero_image:
        _queue_renditions(article)
    _set_bylines(article, bylines)
    _set_related(article, related, user=user)
    article.tags.set(tag_names(tags))
    audit(article, actor=user, action="create", from_status="")
    store_revision(article, user=user, comment="Created")
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
    rules = ArticlePolicy(user, locked)
    if rules.can_propose_change():
        raise NotAllowed(
            "This article is live: propose your change for an editor to review instead."
        )
    require(rules.can_edit(), "You do not have permission to edit this article.")
    allowed = CONTENT_FIELDS | (EDITOR_FIELDS if rules.can_set_expiry() else set())
    old_slug = locked.slug
    listed = purges.placement(locked) if locked.status == Status.PUBLISHED else None
    changed = _apply_fields(locked, data, allowed=allowed)
    if "slug" in changed:
        _require_free_slug(locked.slug, article=locked)
    _validate(locked, changed=changed)
    if "hero_image" in changed:
        locked.hero_renditions = locked.hero_crops = {}  # they belong to the old image
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
        _set_related(locked, related, user=user)
    if tags is not None:
        locked.tags.set(tag_names(tags))
    store_revision(
        locked, user=user, comment=comment or ("Substantive edit" if substantive else "Edited")
    )
    if locked.status == Status.PUBLISHED:
        record("article.updated", locked, substantive=substantive)
        purges.article_edited(locked, before=listed)
    return locked
