"""Author writes, for editors: the admin and the API both come through here.

Readers see an author's name, photo, job title, bio and social links under every article and
on their own page: every page showing them carries the key ``author:<id>``, which a change
purges (edgecache), so authors need not know which pages those are.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from core.text import clean_text
from edgecache import purge

from .models import Author

# Everything an editor may set on an author.
AUTHOR_FIELDS = {
    "name", "slug", "job_title", "bio", "photo", "email", "website_url", "twitter_url",
    "mastodon_url", "linkedin_url", "user", "is_active",
}  # fmt: skip
_STRIPPED = {"name", "job_title", "email"}
# The authors readers may list (the active ones and anyone with a published byline), in name
# order: any author's change may add one, drop one or move one.
AUTHORS_LIST_KEY = "list:authors"


def author_key(author_id: int) -> str:
    """The cache key of every page that shows the author's name, photo or bio."""
    return f"author:{author_id}"


def can_manage_authors(user, *, action: str = "change") -> bool:
    return bool(user and user.is_active and user.has_perm(f"authors.{action}_author"))


def unique_author_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:190].strip("-") or "author"
    candidate, n = base, 1
    while Author.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _normalize_bio(bio: str) -> str:
    """Plain text: unify line endings and trim, keeping blank lines between paragraphs."""
    lines = [line.rstrip() for line in (bio or "").replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def _apply(author: Author, data: dict) -> set[str]:
    unknown = set(data) - AUTHOR_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))
    changed = set()
    for field, value in data.items():
        if isinstance(value, str):
            # Without the characters XML cannot carry (bylines go into feeds).
            multiline = isinstance(Author._meta.get_field(field), models.TextField)
            value = clean_text(value, multiline=multiline)
        if field in _STRIPPED:
            value = (value or "").strip()
        elif field == "bio":
            value = _normalize_bio(value)
        elif field == "slug":
            value = slugify(value or "")
            if not value:
                raise ValidationError({"slug": "Enter a slug made of letters, numbers or hyphens."})
        elif field == "photo" and value is False:
            value = ""  # the form's "clear" checkbox
        if getattr(author, field) != value:
            setattr(author, field, value)
            changed.add(field)
    return changed


def _validate(author: Author, *, changed: set[str]) -> None:
    # An unchanged photo is not read back from storage (slow on object storage, and a missing
    # file must not block editing the bio).
    author.full_clean(exclude=None if "photo" in changed else ["photo"])


@transaction.atomic
def author_create(*, user, name: str, account=None, **fields) -> Author:
    """Create an author (staff, freelancer or agency); the slug comes from the name if not given.

    ``user`` is the editor acting; ``account`` the author's own login, if they have one.
    Editors only. Raises PermissionDenied or ValidationError (photo type and size included).
    """
    if not can_manage_authors(user, action="add"):
        raise PermissionDenied("Only editors can add authors.")
    author = Author()
    slug = fields.pop("slug", "")
    _apply(author, {"name": name, **fields, **({"user": account} if account else {})})
    author.slug = slugify(slug) if slug else unique_author_slug(author.name)
    _validate(author, changed={"photo"})
    author.save()
    # Their page exists now if they are active (its address may have answered 404).
    purge([*(["notfound"] if author.is_active else []), AUTHORS_LIST_KEY])
    return author


@transaction.atomic
def author_update(*, user, author: Author, data: dict) -> Author:
    """Change an author's profile; returns the saved author. Editors only."""
    if not can_manage_authors(user, action="change"):
        raise PermissionDenied("Only editors can change authors.")
    locked = Author.objects.select_for_update().get(pk=author.pk)
    changed = _apply(locked, data)
    if not changed:
        return locked
    _validate(locked, changed=changed)
    locked.save()
    # A new address or a page that now exists may have answered 404 before.
    notfound = ["notfound"] if changed & {"slug", "is_active"} else []
    purge([author_key(locked.pk), *notfound, AUTHORS_LIST_KEY])
    return locked
