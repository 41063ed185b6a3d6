"""Search highlighting: the reader's words marked in titles and excerpts, everything else text."""

import pytest

from articles.selectors import article_search
from articles.tests.site_helpers import in_state, published
from website.highlight import highlight_plain, marked, search_results_highlight

pytestmark = pytest.mark.django_db


def test_search_results_are_escaped_with_matches_marked():
    match = published(title="Harbour <b>vote</b> passes", body="<p>The harbour plan won.</p>")
    in_state("draft", title="Harbour secret draft")

    results = list(article_search(query="harbour"))
    search_results_highlight(results, query="harbour")

    assert results == [match]
    assert "<mark>Harbour</mark>" in results[0].title_html
    assert "&lt;b&gt;" in results[0].title_html
    assert "<b>" not in results[0].title_html
    assert "<mark>harbour</mark>" in results[0].excerpt_html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "{{ x }} {% csrf_token %}",
        '<esi:include src="/x"/>',
        "<!--newsroom:weather--> NEWSROOMCSRFPLACEHOLDERc0ffee4b1d NEWSROOMLATEcommentpendingQ1Z",
        "</mark><mark>",
    ],
)
def test_highlighting_never_lets_text_become_markup(text):
    plain = highlight_plain(f"before {text} harbour after", ["harbour"])
    assert "<mark>harbour</mark>" in plain
    assert plain.count("<mark>") == 1 and "<script" not in plain and "<esi" not in plain
    from_database = marked(f"{text} \x02harbour\x03 {text}")
    assert from_database.count("<mark>") == 1 and "<esi" not in from_database
    if "<" in text:
        assert "&lt;" in from_database
