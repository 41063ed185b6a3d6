"""Absolute links: every link that leaves the request (emails, feeds, the API, canonical and
social tags, sitemaps) is built on SITE_URL, never on the Host header a request carried."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` on SITE_URL ("/a/b/" -> "https://news.example.org/a/b/"); an address that is
    already absolute (http, https, or //host/ of a CDN) is returned as it is."""
    if path.startswith(("http://", "https://", "//")):
        return path
    if not path.startswith("/"):
        path = f"/{path}"
    return f"{settings.SITE_URL}{path}"
