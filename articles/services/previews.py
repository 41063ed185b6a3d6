"""Shareable preview links for people without an account."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..models import Article, PreviewLink
from ..policy import ArticlePolicy
from .common import audit, require

DEFAULT_PREVIEW_LIFETIME = timedelta(hours=48)


@transaction.atomic
def preview_link_create(
    *, user, article: Article, pin_revision: bool = True, lifetime: timedelta | None = None
) -> tuple[PreviewLink, str]:
    """A link that shows the article to someone without an account, until it expires.

    Pinned links show the latest revision at the time of sharing; unpinned ones follow edits.
    Returns the link and its signed token.
    """
    from reversion.models import Version

    from ..previews import preview_token

    require(
        ArticlePolicy(user, article).can_share_preview(),
        "You may only share previews of articles you can edit.",
    )
    version = None
    if pin_revision:
        version = Version.objects.get_for_object(article).first()
    link = PreviewLink.objects.create(
        article=article,
        version=version,
        created_by=user,
        expires_at=timezone.now() + (lifetime or DEFAULT_PREVIEW_LIFETIME),
    )
    audit(article, actor=user, action="preview_share", from_status=article.status)
    return link, preview_token(link)


@transaction.atomic
def preview_link_revoke(*, user, link: PreviewLink) -> PreviewLink:
    require(
        ArticlePolicy(user, link.article).can_revoke_preview(link),
        "Only editors or the person who shared it can revoke a preview link.",
    )
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = user
        link.save(update_fields=["revoked_at", "revoked_by"])
        audit(link.article, actor=user, action="preview_revoke", from_status=link.article.status)
    return link
