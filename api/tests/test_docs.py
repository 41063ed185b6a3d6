"""The API documentation is served by the site itself: no CDN, no inline script or style, so
the site's Content-Security-Policy holds; the schema is OpenAPI 3.1 and documents every route."""

import re

import pytest

from newsroom.tests.browser import watch_console

pytestmark = pytest.mark.django_db


def test_docs_page_has_no_inline_code_and_no_cdn(api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Content-Security-Policy" in response
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<style" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    script = re.search(r'<script src="([^"]*\?script=[^"]*)"', html).group(1)
    js = api.get(script.replace("&amp;", "&"))
    assert js.status_code == 200
    assert js["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in js.content.decode()


def test_schema_is_openapi_31_with_token_auth_and_error_bodies(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"] == "3.1.0"
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    operation = schema["paths"]["/api/v1/articles/{id}/"]["patch"]
    assert {"200", "400", "401", "403", "404", "409", "412", "428", "429"} <= set(
        operation["responses"]
    )
    assert any(p["name"] == "If-Match" for p in operation["parameters"])
    listing = schema["paths"]["/api/v1/articles/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"section", "tag", "author", "q", "is_breaking", "status", "page_size"} <= names
    assert "examples" in str(schema["paths"]["/api/v1/articles/"]["post"])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_without_csp_violations(live_server, browser):
    page = browser.new_page()
    problems = watch_console(page)
    external: list[str] = []
    page.on(
        "request",
        lambda request: (
            external.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector("text=List articles", timeout=15000)
    assert page.locator(".opblock").count() >= 20
    assert problems == []
    assert external == []
