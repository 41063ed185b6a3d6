"""The one place article HTML is cleaned. Everything an editor, the API or an import sends
goes through ``sanitize_html`` before it is stored; templates then mark the stored body safe."""

from urllib.parse import urljoin

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "hr", "figure", "figcaption", "cite",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "target"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "target":
        return "_blank" if value == "_blank" else None
    if tag == "ol" and attribute == "start":
        return value if value.isdigit() else None
    return value


def _make_cleaner(attribute_filter) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        # Every link gets rel: new-tab links cannot reach window.opener, none leaks the referrer.
        link_rel="noopener noreferrer",
        attribute_filter=attribute_filter,
        strip_comments=True,
    )


_cleaner = _make_cleaner(_filter_attribute)


def sanitize_html(html: str) -> str:
    """Allow-list sanitize rich text: no scripts, no event handlers, no javascript: links."""
    cleaned = _cleaner.clean(html or "").strip()
    # The editor's empty document is one empty paragraph; store it as empty.
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned


def syndication_html(html: str, *, base_url: str) -> str:
    """Stored rich text for other sites and apps to show (feeds): cleaned again with the same
    rules, every link made absolute against ``base_url`` (a relative link would lead nowhere
    in a feed reader)."""

    def absolute_links(tag: str, attribute: str, value: str) -> str | None:
        value = _filter_attribute(tag, attribute, value)
        if value is not None and tag == "a" and attribute == "href":
            return urljoin(base_url, value)
        return value

    cleaner = _make_cleaner(absolute_links)
    return cleaner.clean(html or "").strip()
