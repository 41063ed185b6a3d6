"""The OpenAPI schema and its browsable documentation, served by the app itself (no CDN).

Swagger UI's files come from drf-spectacular-sidecar through the static files; its start-up
script is a separate request (the "split" view), so the page needs no inline script or style
and passes the site's Content-Security-Policy unchanged.
"""

from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularJSONAPIView):
    """GET /api/v1/schema/: OpenAPI 3.1 as JSON."""


class SwaggerView(SpectacularSwaggerSplitView):
    """GET /api/v1/docs/: Swagger UI for the schema."""

    template_name = "api/swagger_ui.html"
