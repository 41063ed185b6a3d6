import re

import pytest

from comments import text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("F\u200buck", "fuck"),  # zero-width space
        ("f\u00aduck", "fuck"),  # soft hyphen
        ("fu\u202eck", "fuck"),  # right-to-left override
        ("\u0441\u0430sino", "casino"),  # Cyrillic es and a
        ("\uff23\uff21\uff33\uff29\uff2e\uff2f", "casino"),  # full-width letters (NFKC)
        ("Ca\u0301sino", "casino"),  # combining accent
        ("CAS\u0130NO", "casino"),  # Turkish capital dotted I
        ("  spread   out\n\nwords ", "spread out words"),
    ],
)
def test_match_form_defeats_disguises(raw, expected):
    assert text.normalize_for_matching(raw) == expected


def test_stored_body_keeps_what_the_reader_wrote_minus_controls():
    raw = "Caf\u00e9 \u202eevil\u202c ok\x07\r\nline two\x1b[31m\u200d \U0001f468\u200d\U0001f469"
    cleaned = text.clean_body(raw)
    assert cleaned == "Caf\u00e9 evil ok\nline two[31m\u200d \U0001f468\u200d\U0001f469"


def test_stored_body_collapses_blank_line_runs():
    assert text.clean_body("one\n\n\n\n\ntwo  \n") == "one\n\ntwo"


def test_control_characters_are_detected_in_single_line_fields():
    assert text.has_control_characters("Ada\r\nBcc: x@example.org")
    assert text.has_control_characters("Ada\u202e")
    assert not text.has_control_characters("Ada Lovelace \u05e9\u05dc\u05d5\u05dd")


@pytest.mark.parametrize(
    ("phrases", "body", "found"),
    [
        (["casino"], "Visit our CASINO today", ["casino"]),
        (["casino"], "v\u200bisit our c\u0430sino", ["casino"]),
        (["ass"], "a class act", []),  # whole words only
        (["*viagra*"], "buyviagranow", ["*viagra*"]),
        (["cheap pills"], "CHEAP   pills here", ["cheap pills"]),
        (["cheap pills"], "cheap, pills", []),
    ],
)
def test_word_rules_match_whole_words_after_normalization(phrases, body, found):
    assert text.find_phrases(text.normalize_for_matching(body), phrases) == found


@pytest.mark.parametrize(
    ("body", "count"),
    [
        ("no links here, e.g. none.", 0),
        ("see https://example.org/a and http://example.net", 2),
        ("www.example.com and shop.example.xyz/offer", 2),
        ("\uff48\uff54\uff54\uff50\uff53://example.org", 1),  # full-width scheme
        ("Mr.Smith said so", 0),
    ],
)
def test_links_are_counted_on_the_match_form(body, count):
    assert text.count_links(body) == count


def test_render_escapes_everything_and_links_bare_urls():
    html = text.render_body(
        "<script>alert(1)</script> see https://example.org/a?b=1&c=2.\n"
        "next line\n\n"
        '<a href="javascript:alert(1)">x</a> (www.example.com)'
    )
    assert html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; see "
        '<a href="https://example.org/a?b=1&amp;c=2" rel="ugc nofollow noopener">'
        "https://example.org/a?b=1&amp;c=2</a>.<br>next line</p>"
        "<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt; "
        '(<a href="https://www.example.com" rel="ugc nofollow noopener">www.example.com</a>)</p>'
    )


def test_render_never_links_other_schemes():
    html = text.render_body("javascript:alert(1) data:text/html,<b>x</b> ftp://example.org")
    assert "<a " not in html
    assert "&lt;b&gt;" in html


@pytest.mark.parametrize(
    "body",
    [
        "[https://bank.example](https://evil.example)",
        '<a href="https://evil.example">https://bank.example</a>',
        "https://bank.example@evil.example/ and (https://a.example/x_(y))",
        '"http://a.example" www.b.example/path?q=1#top',
    ],
)
def test_link_text_is_always_its_own_target(body):
    html = text.render_body(body)
    anchors = re.findall(r'<a href="([^"]*)" rel="ugc nofollow noopener">([^<]*)</a>', html)
    assert html.count("<a ") == len(anchors)
    for href, label in anchors:
        assert href in (label, f"https://{label}")


def test_remove_links_for_mail():
    assert text.remove_links("go to https://spam.example/x or spam.xyz now") == (
        "go to [link removed] or [link removed] now"
    )


@pytest.mark.parametrize(
    ("name", "url", "linked"),
    [
        ("Ada", "https://ada.example", True),
        ("paypal.com", "https://evil.example/login", False),
        ("https://ada.example", "https://ada.example/about", True),
        ("www.ada.example", "https://ada.example", True),
        ("Ada", "javascript:alert(1)", False),
        ("Ada", "", False),
    ],
)
def test_author_name_that_looks_like_another_url_is_not_linked(name, url, linked):
    assert bool(text.safe_author_link(name, url)) is linked


def test_content_hash_ignores_case_and_invisible_tricks():
    assert text.content_hash("Buy NOW") == text.content_hash("buy\u200b now")
    assert text.content_hash("Buy now") != text.content_hash("Buy later")
