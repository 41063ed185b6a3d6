import pytest

from core.text import XML_ILLEGAL_RE, clean_text, xml_text
from newsroom.tests.corpus import XML_ILLEGAL, XML_LEGAL, with_each_illegal


@pytest.mark.parametrize(("kind", "value"), with_each_illegal("Harbour plan").items())
def test_characters_xml_cannot_carry_are_cleaned(kind, value):
    for multiline in (True, False):
        cleaned = clean_text(value, multiline=multiline)
        assert not XML_ILLEGAL_RE.search(cleaned)
        assert cleaned.replace("\n", "").replace(" ", "") == "Harbourplan"


def test_page_and_manual_line_breaks_become_breaks_or_spaces():
    assert clean_text("one\x0btwo\x0cthree") == "one\ntwo\nthree"
    assert clean_text("one\x0btwo", multiline=False) == "one two"
    assert xml_text(None) == "" and xml_text(42) == "42"


@pytest.mark.parametrize("value", XML_LEGAL.values())
def test_what_xml_can_carry_is_kept(value):
    assert clean_text(f"a{value}b") == f"a{value}b"


def test_the_corpus_names_every_kind_xml_refuses():
    assert all(XML_ILLEGAL_RE.fullmatch(ch) for ch in XML_ILLEGAL.values())
    assert not any(XML_ILLEGAL_RE.search(ch) for ch in XML_LEGAL.values())
