"""Hostile text shared by the tests of every entry point that takes text from staff or readers:
characters XML cannot carry, look-alike spellings that must not dodge a word list, and spellings
of one mailbox (or of different mailboxes) that address comparison must get right."""

# ---------------------------------------------------------------------------
# Characters XML 1.0 cannot carry (its Char production): C0 controls other than tab, line feed
# and carriage return, lone surrogates, and the non-characters U+FFFE and U+FFFF. Each one,
# pasted into a title, makes an RSS or Atom document unparseable.
# ---------------------------------------------------------------------------
XML_ILLEGAL = {
    "vertical-tab": "\x0b",  # Word's manual line break (Shift+Enter)
    "form-feed": "\x0c",  # a page break
    "bell": "\x07",
    "escape": "\x1b",
    "backspace": "\x08",
    "unit-separator": "\x1f",
    "start-of-heading": "\x01",
    "nul": "\x00",
    "lone-surrogate": "\ud83d",
    "non-character-fffe": "\ufffe",
    "non-character-ffff": "\uffff",
}
# Legal in XML and kept as typed.
XML_LEGAL = {
    "tab": "\t",
    "c1-control": "\x85",
    "bidi-mark": "\u200f",
    "emoji": "\U0001f44d",
    "cjk": "\u6e2f",
}


def with_each_illegal(text: str) -> dict[str, str]:
    """``text`` with one XML-illegal character inside, per kind: {"vertical-tab": "Har\x0bbour"}."""
    middle = len(text) // 2
    return {name: text[:middle] + ch + text[middle:] for name, ch in XML_ILLEGAL.items()}


# ---------------------------------------------------------------------------
# Look-alike spellings of words on a banned list: letters from other scripts that Unicode's
# confusables table maps to Latin, and separators between single letters.
# ---------------------------------------------------------------------------
CONFUSABLE_SPELLINGS = {
    "viagra": [
        "Viagra",
        "\u1d20\u0269\u0251g\u0433\u0251",  # Latin small capital V, iota, alpha; Cyrillic ghe
        "v\u0456\u0430gr\u0430",  # Cyrillic i and a
        "\U0001d42f\U0001d422\U0001d41a\U0001d420\U0001d42b\U0001d41a",  # mathematical bold
        "\u24e5\u24d8\u24d0\u24d6\u24e1\u24d0",  # circled letters
        "\uff56\uff49\uff41\uff47\uff52\uff41",  # full-width
        "v.i.a.g.r.a",
        "v-i-a-g-r-a",
        "v i a g r a",
        "v_i_a_g_r_a",
        "V . I . A . G . R . A",
        "\u1d20.\u0269.\u0251.g.\u0433.\u0251",  # both tricks at once
        "vi\u200bag\u00adra",  # zero-width space and soft hyphen
    ],
    # Latin v with hook, which Unicode's table takes for a u; Cyrillic dze, es and em.
    "scum": ["sc\u028bm", "\u0455\u0441\u028b\u043c"],
    "cheap pills": ["c.h.e.a.p p.i.l.l.s", "\u0441h\u0435\u0430p pi\u04cf\u04cfs"],
}
# Must stay clear of the same lists.
INNOCENT = [
    "a class act",
    "I, a reader, agree",
    "The v8 engine and the u-boat",
    "U.S. and E.U. leaders met",
    "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440",  # Russian: "Hello, world"
]

# ---------------------------------------------------------------------------
# Mailbox spellings. Each group is one mailbox written several ways; an address in one group
# is never the same mailbox as an address in another.
# ---------------------------------------------------------------------------
EQUIVALENT_ADDRESSES = [
    [
        "ada@example.org",
        "Ada@Example.ORG",
        " ada@example.org ",
        '"ada"@example.org',
        '"Ada"@EXAMPLE.org',
        "ada@example.org.",
        "ada@\uff45xample.org",  # full-width e in the domain (IDNA maps it)
        '"a\\da"@example.org',  # a quoted pair that needs no quoting
    ],
    [
        "jo@b\u00fccher.example",
        "jo@xn--bcher-kva.example",
        "JO@B\u00dcCHER.example",
        "jo@bu\u0308cher.example",  # decomposed u + diaeresis
    ],
]
DIFFERENT_MAILBOXES = [
    # Provider-specific rules are not applied: these are different mailboxes in general.
    "ada+news@example.org",
    "a.da@example.org",
    "ada@sub.example.org",
    '"ada smith"@example.org',
    "ada@example.com",
]
INVALID_ADDRESSES = [
    "ada",
    "ada@",
    "@example.org",
    "ada@@example.org",
    "ada@example..org",
    'ada"@example.org',
    "ad\u0430@example.org",  # Cyrillic a in the local part
    "ada@exa mple.org",
    "ada@example.org\nBcc: eve@example.org",
    "ada@EXAMPLE.org\u200b",  # a zero-width space
    "ada@example.invalid",  # a special-use domain
    "ada@[192.0.2.1]",
    "ada\x0b@example.org",
    "a" * 65 + "@example.org",
]

# ---------------------------------------------------------------------------
# Hostile values for every public entry point (test_hostile_entry_points.py): text the server
# might take for its own markers, templates, includes or markup; characters that break
# encoders, databases and XML; look-alikes; numbers and dates out of range; sizes far beyond any
# form. Every answer must be a clean 2xx/3xx/4xx that shows none of them unescaped.
# ---------------------------------------------------------------------------
HOSTILE_TEXT = {
    "page-cache-csrf-marker": "NEWSROOMCSRFPLACEHOLDERc0ffee4b1d",
    "page-cache-late-marker": "NEWSROOMLATEcommentstampQ1Z",
    "weather-marker": "<!--newsroom:weather-->",
    "template-variable": "{{ request.user.password }}{{ settings.SECRET_KEY }}",
    "template-tag": "{% debug %}{% load static %}{% csrf_token %}",
    "esi-include": '<esi:include src="/admin/"/><esi:remove>x</esi:remove>',
    "script-close": "</script><script>alert(1)</script>",
    "attribute-break": '"><img src=x onerror=alert(1)>',
    "nul": "a\x00b",
    "controls": "a\x0b\x1b\x7f\x85b",
    "crlf-header": "a\r\nSet-Cookie: hijacked=1",
    "bidi-override": "\u202egnp.exe\u202c",
    "confusable": "\u0440\u0430\u0443\u0440\u0430l",  # Cyrillic "paypal"
    "zero-width": "a\u200b\u200d\ufeffb",
    "non-characters": "\ufffe\uffff",
    "sql": "' OR 1=1; DROP TABLE articles_article; --",
    "traversal": "../../../etc/passwd",
    "json-operator": '{"$gt": ""}',
    "negative": "-1",
    "zero": "0",
    "huge-number": "9" * 40,
    "float-overflow": "1e309",
    "nan": "NaN",
    "date-far-future": "9999-12-31T23:59:59+14:00",
    "date-year-zero": "0000-00-00",
    "date-feb-30": "2024-02-30",
    "very-long": "x" * 100_000,
}
# Bytes as a client sends them, percent-encoded: for paths, query strings and form bodies
# (Python's own encoders refuse to produce some of them).
HOSTILE_ENCODED = {
    "lone-surrogate": "%ED%A0%80",
    "bad-utf8": "%FF%FE%C3%28",
    "overlong-slash": "%C0%AF",
    "nul": "%00",
    "encoded-script": "%3C%2Fscript%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
}
# JSON documents as text: lone surrogates as JSON escapes, which decode to strings no encoder
# (UTF-8, PostgreSQL) accepts.
HOSTILE_JSON_STRINGS = {
    "lone-surrogate": '"\\ud800"',
    "lone-low-surrogate": '"a\\udc00b"',
    "nul-escape": '"a\\u0000b"',
}
# Values that must never come back as they were sent in an HTML page: each holds markup.
MARKUP_VALUES = [v for v in HOSTILE_TEXT.values() if "<" in v]
