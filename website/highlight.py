"""Search results with the reader's words marked: every piece of text is escaped by
format_html/escape and only the <mark> elements around the matches are markup."""

import html
import re

from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

from articles.selectors import HIGHLIGHT_START, HIGHLIGHT_STOP, SEARCH_MAX_LENGTH, search_terms


def _joined(parts) -> SafeString:
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - escaped parts only


def marked(text: str) -> SafeString:
    """Text from PostgreSQL's ts_headline (matches between its start and stop characters),
    escaped, with each match in <mark>."""
    parts = []
    for index, piece in enumerate(re.split(f"[{HIGHLIGHT_START}{HIGHLIGHT_STOP}]", text)):
        piece = html.unescape(piece)
        parts.append(format_html("<mark>{}</mark>", piece) if index % 2 else escape(piece))
    return _joined(parts)


def excerpt_bounds(text: str, start: int, width: int) -> tuple[int, int]:
    """Where an excerpt of about ``width`` characters from ``start`` begins and ends, moved to
    word boundaries: it never opens or closes on part of a word."""
    if start > 0 and not text[start - 1].isspace():
        start = max(0, text.rfind(" ", 0, start) + 1)
    end = start + width
    if end < len(text) and not text[end].isspace():
        cut = text.rfind(" ", start, end)
        if cut > start:
            end = cut
    return start, min(end, len(text))


def highlight_plain(text: str, terms: list[str], width: int = 240) -> SafeString:
    """An excerpt of ``text`` around the first match, cut at word boundaries, escaped, with
    every match in <mark>."""
    if not terms:
        start, end = excerpt_bounds(text, 0, width)
        return escape(text[:end] + (" …" if end < len(text) else ""))
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    found = pattern.search(text)
    start, end = excerpt_bounds(text, max(0, found.start() - width // 3) if found else 0, width)
    excerpt = text[start:end].strip()
    excerpt = ("… " if start else "") + excerpt + (" …" if end < len(text) else "")
    parts, last = [], 0
    for match in pattern.finditer(excerpt):
        parts += [escape(excerpt[last : match.start()]), format_html("<mark>{}</mark>", match[0])]
        last = match.end()
    parts.append(escape(excerpt[last:]))
    return _joined(parts)


def search_results_highlight(articles, *, query: str) -> None:
    """Set ``title_html`` and ``excerpt_html`` (escaped, matches in <mark>) on each result."""
    terms = search_terms(query.strip()[:SEARCH_MAX_LENGTH])
    for article in articles:
        if hasattr(article, "excerpt_headline"):
            article.title_html = marked(article.title_headline or article.title)
            article.excerpt_html = marked(article.excerpt_headline or "")
        else:
            text = html.unescape(strip_tags(f"{article.dek} {article.body}"))
            text = re.sub(r"\s+", " ", text).strip()
            article.title_html = highlight_plain(article.title, terms, width=len(article.title))
            article.excerpt_html = highlight_plain(text, terms)
