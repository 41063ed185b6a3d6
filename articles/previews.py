"""Signed preview links: a token names a PreviewLink row, which can expire or be revoked."""

from dataclasses import dataclass

from django.core import signing
from django.utils import timezone

from .models import Article, PreviewLink

SALT = "articles.preview-link"


class PreviewLinkInvalid(Exception):
    """The token is forged, expired or revoked (the view answers 404 either way)."""


@dataclass
class PreviewTarget:
    link: PreviewLink
    article: Article
    # An earlier revision's content when the link is pinned, else None (show the latest).
    version: object | None


def preview_token(link: PreviewLink) -> str:
    return signing.dumps({"link": link.pk}, salt=SALT, compress=True)


def preview_link_resolve(token: str) -> PreviewTarget:
    try:
        data = signing.loads(token, salt=SALT)
        link = PreviewLink.objects.select_related("article", "version").get(pk=data["link"])
    except (signing.BadSignature, PreviewLink.DoesNotExist, KeyError, TypeError):
        raise PreviewLinkInvalid from None
    if not link.is_active(timezone.now()):
        raise PreviewLinkInvalid
    return PreviewTarget(link=link, article=link.article, version=link.version)
