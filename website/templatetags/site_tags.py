"""Template helpers for the reader site."""

import json
from urllib.parse import quote, urlencode

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.renditions import entry_image_srcset, hero_srcset
from core.templatetags.absolute_urls import absolute

register = template.Library()
# {{ path|absolute }}: the path on SITE_URL, for tags that need a full address (og:image).
register.filter("absolute", absolute)

_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: dict | list | None):
    """A JSON-LD data block (one for each item of a list). Not executed, so the CSP's
    script-src does not apply; "<", ">" and "&" are escaped so no text inside can close the
    element."""
    if not data:
        return ""
    if isinstance(data, list | tuple):
        return format_html_join("\n", "{}", ((json_ld(item),) for item in data))
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag
def hero_image(article):
    """{% hero_image article as hero %}: src, srcset, width, height of the hero, or None."""
    return hero_srcset(article)


@register.simple_tag
def entry_image(entry):
    """{% entry_image entry as picture %}: src, srcset, width, height of a live entry's
    picture, or None."""
    return entry_image_srcset(entry)


@register.simple_tag
def share_links(title: str, url: str) -> list[tuple[str, str]]:
    """Plain links to share an article: no third-party script runs on our page."""
    return [
        ("Email", f"mailto:?{urlencode({'subject': title, 'body': url}, quote_via=quote)}"),
        ("X", f"https://x.com/intent/post?{urlencode({'text': title, 'url': url})}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?{urlencode({'u': url})}"),
        ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?{urlencode({'url': url})}"),
        ("WhatsApp", f"https://wa.me/?{urlencode({'text': f'{title} {url}'})}"),
        ("Bluesky", f"https://bsky.app/intent/compose?{urlencode({'text': f'{title} {url}'})}"),
    ]


@register.simple_tag
def byline_groups(bylines) -> list[tuple[str, list]]:
    """Consecutive bylines with the same role label, in the editor's order:
    [("By", [author, author]), ("Photos by", [author])]."""
    groups: list[tuple[str, list]] = []
    for byline in bylines:
        label = byline.role.strip() or "By"
        if groups and groups[-1][0] == label:
            groups[-1][1].append(byline.author)
        else:
            groups.append((label, [byline.author]))
    return groups
