"""Word lists see through look-alike letters (Unicode's confusables data) and spelled-out words,
through every way a comment arrives: the service, the article page's form and the API."""

import time

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from comments import services
from comments import text as comment_text
from comments.forms import form_stamp
from comments.models import Comment, WordRule
from newsroom.tests.corpus import CONFUSABLE_SPELLINGS, INNOCENT

from .factories import WordRuleFactory
from .helpers import form_data, post_kwargs

pytestmark = pytest.mark.django_db

SPELLINGS = [
    (word, spelling) for word, spellings in CONFUSABLE_SPELLINGS.items() for spelling in spellings
]


@pytest.fixture
def banned():
    for word in CONFUSABLE_SPELLINGS:
        WordRuleFactory(phrase=word, kind=WordRule.Kind.BANNED)


def spelling_id(value) -> str:
    return value.encode("unicode_escape").decode() if isinstance(value, str) else str(value)


@pytest.mark.parametrize(("word", "spelling"), SPELLINGS, ids=spelling_id)
def test_the_match_form_finds_the_word(word, spelling):
    body = f"Cheap {spelling} here!"
    assert comment_text.find_phrases(comment_text.normalize_for_matching(body), [word]) == [word]


@pytest.mark.parametrize(
    ("character", "letter"),
    [("\u0433", "r"), ("\u0251", "a"), ("\u1d20", "v"), ("\u028b", "u"), ("\u0269", "i")],
)
def test_look_alike_letters_fold_to_the_latin_letter_unicode_names(character, letter):
    assert comment_text.normalize_for_matching(character) == letter


@pytest.mark.parametrize(("word", "spelling"), SPELLINGS, ids=spelling_id)
def test_the_service_rejects_look_alike_spellings_as_spam(banned, article, word, spelling):
    comment = services.comment_post(**post_kwargs(article, body=f"Get {spelling} now"))
    assert (comment.status, comment.reasons) == ("spam", ["banned_word"])


@pytest.mark.parametrize(("word", "spelling"), SPELLINGS, ids=spelling_id)
def test_the_form_rejects_look_alike_spellings_as_spam(banned, article, client, word, spelling):
    response = client.post(
        reverse("comments:post", args=[article.pk]),
        form_data(article, body=f"Get {spelling} now"),
    )
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert (comment.status, comment.reasons) == ("spam", ["banned_word"])


@pytest.mark.parametrize(("word", "spelling"), SPELLINGS, ids=spelling_id)
def test_the_api_rejects_look_alike_spellings_as_spam(banned, article, word, spelling):
    response = APIClient().post(
        f"/api/v1/articles/{article.pk}/comments/",
        {
            "author_name": "Sam",
            "author_email": "sam@example.org",
            "body": f"Get {spelling} now",
            "stamp": form_stamp(article.pk, time.time() - 60),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    comment = Comment.objects.get(pk=response.json()["id"])
    assert (comment.status, comment.reasons) == ("spam", ["banned_word"])


@pytest.mark.parametrize("body", INNOCENT, ids=spelling_id)
def test_ordinary_text_is_not_caught(banned, article, body):
    WordRuleFactory(phrase="ass", kind=WordRule.Kind.BANNED)
    WordRuleFactory(phrase="usa", kind=WordRule.Kind.BANNED)
    comment = services.comment_post(**post_kwargs(article, body=body))
    assert "banned_word" not in comment.reasons and comment.status != "spam"


def test_a_rule_typed_with_look_alikes_matches_plain_text(article):
    WordRuleFactory(phrase="\u1d20\u0269\u0251g\u0433\u0251", kind=WordRule.Kind.BANNED)
    assert WordRule.objects.get().normalized == "viagra"
    comment = services.comment_post(**post_kwargs(article, body="cheap viagra"))
    assert comment.status == "spam"


@pytest.mark.django_db(transaction=True)
def test_existing_rules_are_stored_again_in_the_new_match_form():
    from newsroom.tests.migrations import migrate, migrate_to_latest

    before, after = [("comments", "0002_roles")], [("comments", "0003_wordrule_confusables")]
    rules = migrate(before).get_model("comments", "WordRule").objects
    rules.create(phrase="\u1d20iagra", normalized="\u1d20iagra", kind="banned")  # old form
    rules.create(phrase="viagra", normalized="viagra", kind="banned")
    rules.create(phrase="\u0433oulette", normalized="\u0433oulette", kind="suspect")

    rules = migrate(after).get_model("comments", "WordRule").objects
    assert sorted(rules.values_list("kind", "normalized", "phrase")) == [
        ("banned", "viagra", "\u1d20iagra"),  # the older of the two that now mean the same
        ("suspect", "roulette", "\u0433oulette"),
    ]
    migrate_to_latest()


def test_comment_text_is_stored_without_characters_xml_cannot_carry(article):
    from core.text import XML_ILLEGAL_RE
    from newsroom.tests.corpus import XML_ILLEGAL

    for n, (kind, ch) in enumerate(XML_ILLEGAL.items()):
        if kind in ("nul", "lone-surrogate"):
            continue  # refused with a field error (test_hostile)
        comment = services.comment_post(
            **post_kwargs(
                article,
                body=f"Good{ch}point {kind}",
                author_email=f"{kind}@example.org",
                ip=f"203.0.113.{n + 1}",
            )
        )
        assert not XML_ILLEGAL_RE.search(comment.body + comment.author_name), kind
