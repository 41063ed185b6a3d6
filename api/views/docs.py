"""The OpenAPI schema and its browsable documentation, served by the app itself (no CDN).

Swagger UI's files come from drf-spectacular-sidecar through the static files; its start-up
script is a separate request (the "split" view), so the page needs no inline script or style
and passes the site's Content-Security-Policy unchanged. All three are public documents that
change with a release (and the schema with the public newsletters), never with the news.
"""

from functools import cache

from django.conf import settings
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from markdown_it import MarkdownIt

from edgecache import cache_private

from ..conditional import ConditionalGetMixin, is_public_read, public_document
from ..keys import NEWSLETTER_LISTS_KEY

GUIDE = settings.BASE_DIR / "docs" / "api.md"


class SchemaView(ConditionalGetMixin, SpectacularJSONAPIView):
    """GET /api/v1/schema/: OpenAPI 3.1 as JSON."""

    public_keys = (NEWSLETTER_LISTS_KEY,)


class SwaggerView(ConditionalGetMixin, SpectacularSwaggerSplitView):
    """GET /api/v1/docs/: Swagger UI for the schema (and, with ?script, its start-up script)."""

    template_name = "api/swagger_ui.html"
    public_keys = ()


@cache
def _guide_html() -> str:
    """docs/api.md as HTML, once per process. The file is ours (no reader input), and
    markdown-it leaves raw HTML in it as text."""
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(GUIDE.read_text())


@require_safe
def guide(request):
    """GET /api/v1/guide/: the API guide, the schema description's link."""
    response = render(request, "api/guide.html", {"guide": mark_safe(_guide_html())})  # noqa: S308
    if is_public_read(request):
        return public_document(request, response, keys=())
    return cache_private(response)
