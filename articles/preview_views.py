"""Previews: an article rendered exactly as readers will see it, before it is published.

Used by the admin's Preview (the current draft or any revision) and by shareable links
(/preview/<token>/) for people without an account. Every preview response carries the
"Preview - not published" banner, noindex, private no-store caching and no Referer (the token
must not leak to sites the preview links to).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from .models import Article, Byline, Correction
from .previews import PreviewLinkInvalid, preview_link_resolve
from .revisions import snapshot_from_version
from .selectors import article_page_queryset

# The reader site draws the page (it registers itself when it loads): articles holds the
# content and knows nothing of the site's layout, and imports nothing from above it.
_renderer: dict[str, Callable] = {}


def preview_renderer_register(render: Callable) -> None:
    """``render(request, article, *, bylines, corrections)`` answers the article's page as
    readers would see it, with the "Preview - not published" banner."""
    _renderer["page"] = render


@dataclass
class ArticlePreview:
    """What a preview shows: the article, and its bylines and correction notes as they are now
    or as a revision held them (a revision's are not rows of the database)."""

    article: Article
    bylines: list[Byline] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)


def article_for_preview(article_id: int) -> ArticlePreview:
    """The article as it is now, with everything its page shows."""
    article = article_page_queryset().get(pk=article_id)
    return ArticlePreview(article, list(article.bylines.all()), list(article.corrections.all()))


def article_from_version(version) -> ArticlePreview:
    """The article as it was in a revision: its text, bylines and correction notes.

    Starts from the live article, so tags, related links and anything the revision does not
    hold show as they are now.
    """
    article = article_for_preview(int(version.object_id)).article
    snapshot = snapshot_from_version(version)
    concrete = {f.attname for f in Article._meta.concrete_fields}
    for attname, value in version.field_dict.items():
        if attname in concrete and attname not in {"id", "search_vector"}:
            setattr(article, attname, value)
    bylines = [
        Byline(article=article, author=author, role=role, position=position)
        for position, (author, role) in enumerate(snapshot.bylines)
    ]
    correction_type = ContentType.objects.get_for_model(Correction)
    corrections = []
    for item in version.revision.version_set.filter(content_type=correction_type):
        data = item.field_dict
        if int(data.get("article_id", data.get("article", 0)) or 0) != article.pk:
            continue
        corrections.append(
            Correction(
                pk=int(item.object_id),
                article=article,
                kind=data.get("kind", Correction.Kind.CORRECTION),
                text=data.get("text", ""),
                noted_at=data.get("noted_at"),
            )
        )
    corrections.sort(key=lambda c: (c.noted_at, c.pk))
    return ArticlePreview(article, bylines, corrections)


def preview_response(request, preview: ArticlePreview) -> HttpResponse:
    if "page" not in _renderer:
        raise ImproperlyConfigured("Previews need the reader site (the website app) installed.")
    response = _renderer["page"](
        request, preview.article, bylines=preview.bylines, corrections=preview.corrections
    )
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def preview_link_view(request, token: str) -> HttpResponse:
    """A shared preview link: 404 when forged, expired or revoked, whatever the reason."""
    try:
        target = preview_link_resolve(token)
    except PreviewLinkInvalid:
        raise Http404("This preview link is not valid (it may have expired).") from None
    if target.version is not None:
        preview = article_from_version(target.version)
    else:
        preview = article_for_preview(target.article.pk)
    return preview_response(request, preview)
