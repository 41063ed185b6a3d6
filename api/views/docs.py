"""The OpenAPI schema and its browsable documentation, served by the app itself (no CDN).

Swagger UI's files come from drf-spectacular-sidecar through the static files; its start-up
script is a separate request (the "split" view), so the page needs no inline script or style
and passes the site's Content-Security-Policy unchanged.
"""

from functools import cache

from django.conf import settings
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from markdown_it import MarkdownIt

GUIDE = settings.BASE_DIR / "docs" / "api.md"


class SchemaView(SpectacularJSONAPIView):
    """GET /api/v1/schema/: OpenAPI 3.1 as JSON."""


class SwaggerView(SpectacularSwaggerSplitView):
    """GET /api/v1/docs/: Swagger UI for the schema."""

    template_name = "api/swagger_ui.html"


@cache
def _guide_html() -> str:
    """docs/api.md as HTML, once per process. The file is ours (no reader input), and
    markdown-it leaves raw HTML in it as text."""
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(GUIDE.read_text())


@require_safe
def guide(request):
    """GET /api/v1/guide/: the API guide, the schema description's link."""
    return render(request, "api/guide.html", {"guide": mark_safe(_guide_html())})  # noqa: S308
