"""The search page: excerpts cut at word boundaries, a search that finds nothing saying so
with somewhere to go next, and its search landmarks told apart from the site's."""

import html
import re

import pytest
from django.test import Client

from articles.selectors import article_search
from articles.tests.factories import SectionFactory
from articles.tests.site_helpers import published
from website.highlight import highlight_plain, search_results_highlight
from website.tests.markup import select, tree

pytestmark = pytest.mark.django_db


def words_of(marked_html: str) -> list[str]:
    """The words an excerpt shows, without its ellipses and marks."""
    text = html.unescape(re.sub(r"</?mark>", "", str(marked_html)))
    return [word for word in text.split() if word != "…"]


# Long words all the way, so that a cut at a fixed distance from the match lands inside one.
BEFORE = " ".join(["harbourmasters", "shipwrights", "longshoremen"] * 12)
AFTER = " ".join(["stevedores", "lighthousekeepers", "quartermasters"] * 12)
SOURCE = f"{BEFORE} The new agreement on grain exports was signed on Monday. {AFTER}"


@pytest.mark.parametrize("postgres", [True, False], ids=["full-text", "plain-match"])
def test_search_excerpts_begin_and_end_with_whole_words(settings, postgres):
    settings.USING_POSTGRES = postgres and settings.USING_POSTGRES
    published(title="Grain deal signed", body=f"<p>{SOURCE}</p>")

    results = list(article_search(query="grain"))
    search_results_highlight(results, query="grain")

    shown = words_of(results[0].excerpt_html)
    assert "<mark>grain</mark>" in results[0].excerpt_html
    source_words = set(SOURCE.split())
    assert shown[0] in source_words and shown[-1] in source_words, shown
    assert set(shown) <= source_words


def test_a_plain_excerpt_moves_its_cuts_to_the_nearest_word_boundary():
    text = "alpha " * 10 + "bravo charlie delta " + "echoing " * 40
    excerpt = str(highlight_plain(text, ["delta"], width=60))
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert set(words_of(excerpt)) <= {"alpha", "bravo", "charlie", "delta", "echoing"}
    assert "<mark>delta</mark>" in excerpt


def test_a_search_without_results_says_so_and_suggests_where_to_go():
    SectionFactory(name="World", slug="world", in_navigation=True)
    published(title="Harbour strike", body="<p>Dockers walked out.</p>")

    response = Client().get("/search/?q=zeppelin+%3Cb%3Eraid%3C/b%3E")

    assert response.status_code == 200
    page = response.content.decode()
    status = select(tree(response), "//*[.search-count]")[0]
    assert status.text_content() == "No results for “zeppelin <b>raid</b>”"
    assert "&lt;b&gt;raid" in page and "<b>raid" not in page
    assert "Check the spelling" in page
    links = {a.get("href") for a in select(tree(response), "//*[.search-empty]//a")}
    assert {"/", "/section/world/"} <= links
    assert "Harbour strike" not in page


def test_a_search_with_results_shows_no_suggestions():
    published(title="Harbour strike", body="<p>Dockers walked out.</p>")
    response = Client().get("/search/?q=harbour")
    assert "1 result for “harbour”" in response.content.decode()
    assert not select(tree(response), "//*[.search-empty]")


@pytest.mark.parametrize("url", ["/search/?q=harbour", "/search/", "/no/such/page/"])
def test_search_landmarks_on_one_page_have_names_of_their_own(url):
    published(title="Harbour strike")
    forms = select(tree(Client().get(url)), "//*[@role='search']")
    names = [form.get("aria-label", "").strip() for form in forms]
    assert len(forms) == 2
    assert all(names) and len(set(names)) == len(names), names
