"""Previews: an article rendered exactly as readers will see it, before it is published.

Used by the admin's Preview (the current draft or any revision) and by shareable links
(/preview/<token>/) for people without an account. Every preview response carries the
"Preview - not published" banner, noindex, private no-store caching and no Referer (the token
must not leak to sites the preview links to).
"""

from collections.abc import Callable

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
    """``render(request, article)`` answers the article's page as readers would see it, with
    the "Preview - not published" banner."""
    _renderer["page"] = render


def _prefetched(instance, name: str, model, objects: list) -> None:
    """Make ``instance.<name>.all()`` return ``objects`` without a query, like prefetch does."""
    queryset = model.objects.all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance._prefetched_objects_cache = {
        **getattr(instance, "_prefetched_objects_cache", {}),
        name: queryset,
    }


def article_for_preview(article_id: int) -> Article:
    """The article as it is now, with everything its page shows."""
    return article_page_queryset().get(pk=article_id)


def article_from_version(version) -> Article:
    """The article as it was in a revision: its text, bylines and correction notes.

    Starts from the live article, so tags, related links and anything the revision does not
    hold show as they are now.
    """
    article = article_for_preview(int(version.object_id))
    snapshot = snapshot_from_version(version)
    concrete = {f.attname for f in Article._meta.concrete_fields}
    for attname, value in version.field_dict.items():
        if attname in concrete and attname not in {"id", "search_vector"}:
            setattr(article, attname, value)
    bylines = [
        Byline(article=article, author=author, role=role, position=position)
        for position, (author, role) in enumerate(snapshot.bylines)
    ]
    _prefetched(article, "bylines", Byline, bylines)
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
    _prefetched(article, "corrections", Correction, corrections)
    return article


def preview_response(request, article: Article) -> HttpResponse:
    if "page" not in _renderer:
        raise ImproperlyConfigured("Previews need the reader site (the website app) installed.")
    response = _renderer["page"](request, article)
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
        article = article_from_version(target.version)
    else:
        article = article_for_preview(target.article.pk)
    return preview_response(request, article)
