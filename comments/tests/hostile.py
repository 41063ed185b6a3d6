"""A corpus of hostile comment input, and an auditor that finds anything executable in HTML.

Each case names the field it attacks and what must happen: "reject" (a clear error on that
field, nothing stored) or "inert" (stored, and shown as text wherever it appears).
"""

from dataclasses import dataclass
from html.parser import HTMLParser

POLYGLOT = (
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/"
    "</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e"
)


@dataclass(frozen=True)
class Case:
    id: str
    field: str
    value: str
    outcome: str  # "reject" or "inert"
    # Over HTTP, bytes that are not UTF-8 reach Django as U+FFFD, so a few cases differ there.
    http_outcome: str | None = None

    def __str__(self) -> str:
        return self.id


CORPUS = [
    # --- the comment text -------------------------------------------------------------
    Case("body-script-tag", "body", "<script>alert(1)</script>", "inert"),
    Case("body-img-onerror", "body", "<img src=x onerror=alert(1)>", "inert"),
    Case("body-svg-onload", "body", "<svg/onload=alert(1)>", "inert"),
    Case("body-iframe-js", "body", '<iframe src="javascript:alert(1)"></iframe>', "inert"),
    Case("body-anchor-js", "body", '<a href="javascript:alert(1)">click</a>', "inert"),
    Case("body-attr-break-double", "body", '" onmouseover="alert(1)" x="', "inert"),
    Case("body-attr-break-single", "body", "' onfocus='alert(1)' autofocus '", "inert"),
    Case("body-entities", "body", "&lt;script&gt;alert(1)&lt;/script&gt;", "inert"),
    Case("body-percent-encoded", "body", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "inert"),
    Case("body-double-entities", "body", "&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;", "inert"),
    Case("body-markdown-js-link", "body", "[click me](javascript:alert(1))", "inert"),
    Case("body-markdown-image", "body", "![x](https://evil.example/x.png)", "inert"),
    Case("body-bare-js-url", "body", "javascript:alert(document.cookie)", "inert"),
    Case(
        "body-data-url",
        "body",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "inert",
    ),
    Case("body-style-block", "body", "<style>body{display:none}</style>", "inert"),
    Case("body-template-syntax", "body", "{{ request.user.password }} {% debug %}", "inert"),
    Case("body-sql-drop", "body", "'; DROP TABLE comments_comment; --", "inert"),
    Case("body-sql-or", "body", "1' OR '1'='1' /*", "inert"),
    Case("body-nul-byte", "body", "hello\x00world", "reject"),
    Case("body-100kb", "body", "A" * 100_000, "reject"),
    Case("body-rtl-override", "body", "invoice\u202egnp.exe", "inert"),
    Case("body-zero-width", "body", "f\u200bu\u200bn\u200bd\u200bs", "inert"),
    Case(
        "body-emoji",
        "body",
        "Great reporting \U0001f44d\U0001f3fd "
        "\U0001f468\u200d\U0001f469\u200d\U0001f467 \U0001f1e9\U0001f1ea",
        "inert",
    ),
    Case(
        "body-cjk",
        "body",
        "\u6e2f\u53e3\u8ba1\u5212\u5f88\u597d\u3002"
        "\u65e5\u672c\u8a9e\u306e\u30b3\u30e1\u30f3\u30c8\u3002\ud55c\uad6d\uc5b4 \ub313\uae00",
        "inert",
    ),
    Case(
        "body-rtl-script",
        "body",
        "\u0645\u0631\u062d\u0628\u0627 shalom \u05e9\u05dc\u05d5\u05dd",
        "inert",
    ),
    Case("body-unicode-line-separators", "body", "line\u2028two\u2029three", "inert"),
    Case("body-terminal-escapes", "body", "bell\x07 esc\x1b[2J done", "inert"),
    Case("body-lone-surrogate", "body", "broken \ud83d half", "reject", http_outcome="inert"),
    Case("body-html-comment", "body", "<!-- hidden --><b>bold</b>", "inert"),
    Case("body-cdata", "body", "<![CDATA[<script>alert(1)</script>]]>", "inert"),
    Case("body-polyglot", "body", POLYGLOT, "inert"),
    Case(
        "body-lying-link",
        "body",
        '<a href="https://evil.example">https://bank.example</a>',
        "inert",
    ),
    Case("body-huge-url", "body", "https://example.org/" + "a" * 3000, "inert"),
    Case("body-only-invisible", "body", "\u200b\u200d\u2060", "reject"),
    Case(
        "body-meta-refresh",
        "body",
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        "inert",
    ),
    # --- the name ---------------------------------------------------------------------
    Case("name-script-tag", "author_name", "<script>alert('name')</script>", "inert"),
    Case("name-attr-break", "author_name", '"><img src=x onerror=alert(1)>', "inert"),
    Case("name-header-injection-crlf", "author_name", "Ada\r\nBcc: victim@example.org", "reject"),
    Case("name-header-injection-lf", "author_name", "Ada\nX-Injected: 1", "reject"),
    Case("name-rtl-override", "author_name", "\u202eAda", "reject"),
    Case("name-nul", "author_name", "Ada\x00", "reject"),
    Case("name-looks-like-a-site", "author_name", "paypal.com", "inert"),
    Case("name-too-long", "author_name", "N" * 81, "reject"),
    Case("name-cjk-emoji", "author_name", "\u674e\u96f7 \U0001f409", "inert"),
    Case("name-template-syntax", "author_name", "{{ 7|add:7 }}", "inert"),
    # --- the email (never shown to readers) -------------------------------------------
    Case(
        "email-header-injection-crlf",
        "author_email",
        "ada@example.org\r\nBcc: victim@example.org",
        "reject",
    ),
    Case("email-header-injection-lf", "author_email", "ada@example.org\nSubject: hi", "reject"),
    Case("email-trailing-markup", "author_email", "ada@example.org<script>", "reject"),
    Case("email-js-local-part", "author_email", "javascript:alert(1)@example.org", "reject"),
    Case("email-quoted-markup", "author_email", '"<script>alert(1)</script>"@example.org', "inert"),
    # --- the website ------------------------------------------------------------------
    Case("url-javascript", "author_url", "javascript:alert(1)", "reject"),
    Case("url-javascript-mixed-case", "author_url", "JaVaScRiPt:alert(1)", "reject"),
    Case("url-javascript-padded", "author_url", "  javascript:alert(1)", "reject"),
    Case("url-data", "author_url", "data:text/html,<script>alert(1)</script>", "reject"),
    Case("url-vbscript", "author_url", "vbscript:msgbox(1)", "reject"),
    Case("url-protocol-relative", "author_url", "//evil.example/x", "reject"),
    Case("url-newline", "author_url", "https://exa\nmple.org", "reject"),
    Case(
        "url-attr-break", "author_url", 'https://example.org/"><script>alert(1)</script>', "inert"
    ),
    Case("url-crlf-encoded", "author_url", "https://evil.example/%0d%0aSet-Cookie:x=1", "inert"),
]

EDITABLE_IN_ADMIN = ("body", "author_name", "author_url")
DANGEROUS_TAGS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "base", "style",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


class Auditor(HTMLParser):
    """Collects every way a page could run or load something a reader wrote."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        own_script = (attributes.get("src") or "").startswith(("/static/", "/admin/jsi18n/"))
        # JSON data blocks (JSON-LD) are never executed.
        data_block = attributes.get("type") in ("application/json", "application/ld+json")
        if tag == "script" and not own_script and not data_block:
            self.problems.append(f"inline or foreign script {attrs}")
        # The admin's own icons are inline SVG: aria-hidden, or its "base-svgs" sprite.
        own_svg = tag == "svg" and (
            attributes.get("aria-hidden") or attributes.get("class") == "base-svgs"
        )
        if tag in DANGEROUS_TAGS and not own_svg:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("meta refresh")
        if tag == "img" and attributes.get("src") == "x":
            self.problems.append("injected img")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES and value and not (tag == "link" and value == "data:,"):
                # The site's own empty favicon ("data:,") aside.
                squashed = "".join(ch for ch in value if ch > " ").lower()
                if squashed.startswith(BAD_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def audit(html: str, *values: str) -> Auditor:
    """Audit ``html``; any of ``values`` containing markup characters must not appear in it
    unescaped."""
    auditor = Auditor()
    auditor.feed(html)
    auditor.close()
    for value in values:
        if any(ch in value for ch in '<>"') and value in html:
            auditor.problems.append(f"unescaped {value[:60]!r}")
    return auditor


def form_encoded(data: dict) -> bytes:
    """A form body as a hostile client sends it: lone surrogates become invalid UTF-8 bytes."""
    from urllib.parse import urlencode

    return urlencode(data, encoding="utf-8", errors="surrogatepass").encode("ascii")
