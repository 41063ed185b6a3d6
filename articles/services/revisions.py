"""Bringing back an earlier revision of an article."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Article
from .editing import CONTENT_FIELDS, BylineSpec, article_update


@transaction.atomic
def article_revert(*, user, article: Article, version, expected_version: int | None) -> Article:
    """Bring back the content of an earlier revision, as a new revision."""
    from ..revisions import snapshot_from_version

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
