"""Every change purges exactly the keys of the pages that show it, recorded in the outbox inside
the change's transaction (topic edgecache.purge)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from articles.services import corrections, editing, sweeps, workflow
from articles.tests.factories import ArticleFactory, SectionFactory
from authors.tests.factories import AuthorFactory, UserFactory
from edgecache.services import TOPIC
from outbox.models import Event

pytestmark = pytest.mark.django_db

SITE_LISTS = ["home", "feeds", "sitemaps", "search", "latest", "notfound", "list:archive", "api"]


class Purges:
    """The purges recorded since the last look."""

    def __init__(self):
        self.seen = set(Event.objects.values_list("pk", flat=True))

    def new(self) -> list[dict]:
        events = Event.objects.filter(topic=TOPIC).exclude(pk__in=self.seen).order_by("pk")
        self.seen |= {event.pk for event in events}
        return [event.payload for event in events]


@pytest.fixture
def editor():
    return UserFactory(editor=True)


@pytest.fixture
def story(editor):
    """A live story in one section, by two authors, with two tags."""
    section = SectionFactory(slug="city")
    first, second = AuthorFactory(slug="ann"), AuthorFactory(slug="bo")
    article = editing.article_create(
        user=editor,
        title="Harbour plan approved",
        section=section,
        bylines=[first, second],
        tags=["Harbour", "Council"],
    )
    workflow.article_publish(user=editor, article=article)
    article.refresh_from_db()
    return article


def month_key(article) -> str:
    local = timezone.localtime(article.published_at)
    return f"list:archive:{local.year:04d}-{local.month:02d}"


def lists_of(article) -> list[str]:
    authors = sorted(article.bylines.values_list("author_id", flat=True))
    tags = sorted(article.tags.values_list("pk", flat=True))
    return [
        f"list:section:{article.section_id}",
        *(f"list:author:{pk}" for pk in authors),
        *(f"list:tag:{pk}" for pk in tags),
        month_key(article),
    ]


def test_publishing_purges_the_article_and_every_list_it_joins(editor):
    section = SectionFactory(slug="world")
    author = AuthorFactory(slug="cy")
    article = editing.article_create(
        user=editor, title="Floods", section=section, bylines=[author], tags=["Weather"]
    )
    purges = Purges()
    with transaction.atomic():
        workflow.article_publish(user=editor, article=article)
        # Recorded inside the change's transaction, not after it.
        (payload,) = purges.new()
    article.refresh_from_db()
    tag = Tag.objects.get(name="Weather")
    assert payload["keys"] == [
        f"article:{article.pk}",
        f"headline:{article.pk}",
        *SITE_LISTS,
        f"list:section:{section.pk}",
        f"list:author:{author.pk}",
        f"list:tag:{tag.pk}",
        month_key(article),
        "archive-months",  # the first of its month: the other months' links change
    ]
    assert payload["hard"] is False
    assert article.get_absolute_url() in payload["paths"]
    assert {"/", "/section/world/*", "/author/cy/*", "/tag/weather/*"} <= set(payload["paths"])


def test_only_a_month_s_first_and_last_article_purge_the_month_pages_links(editor, story):
    """The archive's month pages link to the months before and after them: those change when a
    month gains its first article or loses its last, not with every publish."""
    second = ArticleFactory(in_review=True, section=story.section)
    purges = Purges()
    workflow.article_publish(user=editor, article=second)
    (payload,) = purges.new()
    assert "list:archive" in payload["keys"] and "archive-months" not in payload["keys"]
    assert "/archive/" in payload["paths"] and "/archive/*" not in payload["paths"]
    workflow.article_unpublish(user=editor, article=second)
    workflow.article_unpublish(user=editor, article=story)
    first_withdrawal, last_withdrawal = purges.new()
    assert "archive-months" not in first_withdrawal["keys"]
    assert "archive-months" in last_withdrawal["keys"]
    assert "/archive/*" in last_withdrawal["paths"]


def test_a_rolled_back_publish_purges_nothing(editor, story):
    article = ArticleFactory(in_review=True)
    purges = Purges()
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.article_publish(user=editor, article=article)
        raise RuntimeError("the request failed later")
    assert purges.new() == []


def test_the_scheduler_purges_what_goes_live(editor):
    article = ArticleFactory(scheduled=True, publish_at=timezone.now() - timedelta(seconds=1))
    purges = Purges()
    assert sweeps.article_publish_due() == [article.pk]
    (payload,) = purges.new()
    article.refresh_from_db()
    assert payload["keys"] == [
        f"article:{article.pk}",
        f"headline:{article.pk}",
        *SITE_LISTS,
        *lists_of(article),
        "archive-months",
    ]


@pytest.mark.parametrize("how", ["unpublish", "return_to_draft", "expire"])
def test_withdrawing_purges_hard_from_the_article_and_its_lists(editor, story, how):
    expected = [
        f"article:{story.pk}",
        f"headline:{story.pk}",
        *SITE_LISTS,
        "latest-ranks",
        *lists_of(story),
        "archive-months",  # the last of its month
    ]
    purges = Purges()
    if how == "expire":
        Article.objects.filter(pk=story.pk).update(unpublish_at=timezone.now())
        assert sweeps.article_expire_due() == [story.pk]
    else:
        getattr(workflow, f"article_{how}")(user=editor, article=story)
    (payload,) = purges.new()
    assert payload["keys"] == expected
    assert payload["hard"] is True


def test_withdrawing_what_was_never_live_purges_nothing(editor):
    article = ArticleFactory(in_review=True)
    purges = Purges()
    workflow.article_return_to_draft(user=editor, article=article)
    assert purges.new() == []


def test_an_edit_purges_only_that_article(editor, story):
    other = ArticleFactory(published=True)
    purges = Purges()
    editing.article_update(
        user=editor,
        article=story,
        data={"title": "Harbour plan approved after a long night", "dek": "New"},
        expected_version=None,
    )
    (payload,) = purges.new()
    assert payload["keys"] == [f"article:{story.pk}", f"headline:{story.pk}"]
    assert f"article:{other.pk}" not in payload["keys"]
    assert payload["paths"] == [story.get_absolute_url()]
    assert payload["hard"] is False


def test_an_edit_to_the_text_leaves_the_blocks_showing_the_headline(editor, story):
    purges = Purges()
    editing.article_update(
        user=editor,
        article=story,
        data={"dek": "Live: the council votes tonight", "body": "<p>Update at 21:04.</p>"},
        expected_version=None,
    )
    (payload,) = purges.new()
    assert payload["keys"] == [f"article:{story.pk}"]


def test_moving_an_article_purges_the_lists_it_left_and_joined(editor, story):
    old_section = story.section_id
    (kept, dropped) = sorted(story.bylines.values_list("author_id", flat=True))
    harbour = Tag.objects.get(name="Harbour")
    new_section, added = SectionFactory(slug="region"), AuthorFactory(slug="di")
    purges = Purges()
    editing.article_update(
        user=editor,
        article=story,
        data={"section": new_section},
        bylines=[Article.objects.get(pk=story.pk).bylines.get(author_id=kept).author, added],
        tags=["Council", "Ferries"],
        expected_version=None,
    )
    (payload,) = purges.new()
    ferries = Tag.objects.get(name="Ferries")
    assert payload["keys"] == [
        f"article:{story.pk}",
        f"headline:{story.pk}",
        f"list:section:{old_section}",
        f"list:author:{dropped}",
        f"list:tag:{harbour.pk}",
        f"list:section:{new_section.pk}",
        f"list:author:{added.pk}",
        f"list:tag:{ferries.pk}",
        "notfound",
        "list:authors",
        "list:tags",
    ]


def test_reordering_the_byline_purges_the_article_only(editor, story):
    first, second = (byline.author for byline in story.bylines.order_by("position"))
    purges = Purges()
    editing.article_update(
        user=editor, article=story, data={}, bylines=[second, first], expected_version=None
    )
    (payload,) = purges.new()
    assert payload["keys"] == [f"article:{story.pk}"]


def test_marking_breaking_news_purges_the_breaking_list(editor, story):
    purges = Purges()
    editing.article_update(
        user=editor, article=story, data={"is_breaking": True}, expected_version=None
    )
    editing.article_update(
        user=editor, article=story, data={"dek": "Still breaking"}, expected_version=None
    )
    editing.article_update(
        user=editor, article=story, data={"is_breaking": False}, expected_version=None
    )
    assert [payload["keys"] for payload in purges.new()] == [
        [f"article:{story.pk}", "list:breaking"],
        [f"article:{story.pk}"],
        [f"article:{story.pk}", "list:breaking"],
    ]


def test_a_new_slug_purges_the_old_and_new_urls_and_the_sitemaps(editor, story):
    old_path = story.get_absolute_url()
    purges = Purges()
    editing.article_update(
        user=editor, article=story, data={"slug": "harbour-plan"}, expected_version=None
    )
    (payload,) = purges.new()
    story.refresh_from_db()
    assert payload["keys"] == [
        f"article:{story.pk}",
        f"headline:{story.pk}",
        "sitemaps",
        "notfound",
    ]
    assert payload["paths"][:2] == [old_path, story.get_absolute_url()]


def test_editing_a_draft_purges_nothing(editor):
    article = ArticleFactory()
    purges = Purges()
    editing.article_update(
        user=editor, article=article, data={"title": "Still a draft"}, expected_version=None
    )
    assert purges.new() == []


def test_corrections_purge_their_article_and_the_dates_of_change(editor, story):
    purges = Purges()
    note = corrections.correction_add(user=editor, article=story, kind="correction", text="A fix.")
    corrections.correction_update(user=editor, correction=note, kind="correction", text="Fixed.")
    corrections.correction_delete(user=editor, correction=note, reason="Wrong article")
    added, updated, deleted = purges.new()
    # A note moves the "Updated" time: the page, the lists and feeds showing it (by key), the
    # sitemaps' dates of change.
    for payload in (added, updated):
        assert payload["keys"] == [f"article:{story.pk}", "sitemaps"]
        assert payload["paths"] == [
            story.get_absolute_url(),
            "/feed/*",
            "/sitemap*",
            "/section/city/*",
            "/author/ann/*",
            "/author/bo/*",
            "/tag/harbour/*",
            "/tag/council/*",
            f"/archive/{timezone.localtime(story.published_at):%Y/%m}/*",
        ]
    assert deleted["keys"] == [f"article:{story.pk}"]
    assert deleted["paths"] == [story.get_absolute_url()]


def test_a_renamed_section_purges_its_name_and_the_navigation(story):
    section = story.section
    purges = Purges()
    section.name = "The City"
    section.save()
    (payload,) = purges.new()
    assert payload["keys"] == [f"section:{section.pk}", "list:sections", "nav"]


def test_a_new_section_purges_the_list_of_sections_the_navigation_and_the_404s():
    purges = Purges()
    SectionFactory(in_navigation=True)
    SectionFactory(in_navigation=False)
    assert [payload["keys"] for payload in purges.new()] == [
        ["nav", "notfound", "list:sections"],
        ["notfound", "list:sections"],
    ]


def test_a_renamed_tag_purges_its_name_and_a_new_one_nothing(editor, story):
    tag = Tag.objects.get(name="Harbour")
    purges = Purges()
    tag.name = "Harbor"
    tag.save()
    Tag.objects.create(name="Brand new", slug="brand-new")
    assert [payload["keys"] for payload in purges.new()] == [[f"tag:{tag.pk}", "tags"]]


def test_an_author_change_purges_the_author(editor, story):
    author = story.bylines.first().author
    purges = Purges()
    from authors.services import author_update

    author_update(user=editor, author=author, data={"bio": "Covers the harbour."})
    author_update(user=editor, author=author, data={"bio": "Covers the harbour."})  # no change
    assert [payload["keys"] for payload in purges.new()] == [
        [f"author:{author.pk}", "list:authors"]
    ]


def test_a_new_author_purges_the_list_of_authors(editor):
    from authors.services import author_create

    purges = Purges()
    author_create(user=editor, name="Jo Lee")
    assert [payload["keys"] for payload in purges.new()] == [["notfound", "list:authors"]]
