from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from articles.models import Article, RelatedLink, SlugRedirect
from articles.selectors import (
    RELATED_FETCH,
    article_get_for_reader,
    article_list_latest,
    article_list_published,
    article_page_queryset,
    article_search,
    author_get_for_reader,
    home_page_get,
    related_articles_for,
    tag_get_for_reader,
)
from articles.tests.factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    SectionFactory,
)
from articles.tests.site_helpers import UNPUBLISHED_STATES, in_state, published
from authors.tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# related_articles_for
# ---------------------------------------------------------------------------
def test_related_puts_hand_picked_links_first_in_editor_order():
    world = SectionFactory(slug="world")
    article = published(section=world, tags=["harbour"])
    newer_same_tag = published(section=world, tags=["harbour"], ago=timedelta(minutes=1))
    picked_old = published(section=SectionFactory(slug="other"), ago=timedelta(days=30))
    RelatedLink.objects.create(
        article=article, url="https://example.org/report", title="The full report", position=0
    )
    RelatedLink.objects.create(article=article, target=picked_old, position=1)

    items = related_articles_for(article, limit=3)

    assert [i.title for i in items] == ["The full report", picked_old.title, newer_same_tag.title]
    assert items[0].is_external and items[0].url == "https://example.org/report"
    assert items[1].is_hand_picked and items[1].url == picked_old.get_absolute_url()
    assert not items[2].is_hand_picked


@pytest.mark.parametrize("state", UNPUBLISHED_STATES)
def test_related_skips_hand_picked_targets_that_are_not_published(state):
    article = published(tags=["harbour"])
    hidden = in_state(state, section=article.section, tags=["harbour"])
    RelatedLink.objects.create(article=article, target=hidden, position=0)

    items = related_articles_for(article, limit=4)

    assert hidden.title not in [i.title for i in items]
    assert all(i.article is None or i.article.is_published for i in items)


def test_related_fills_with_shared_tags_before_same_section_newest_first():
    world, business = SectionFactory(slug="world"), SectionFactory(slug="business")
    article = published(section=world, tags=["harbour", "council"])
    same_section_newest = published(section=world, ago=timedelta(minutes=5))
    tag_old = published(section=business, tags=["council"], ago=timedelta(days=3))
    tag_new = published(section=business, tags=["harbour"], ago=timedelta(days=1))
    published(section=business, tags=["sport"])  # shares nothing

    items = related_articles_for(article, limit=4)

    assert [i.article for i in items] == [tag_new, tag_old, same_section_newest]


def test_related_never_includes_the_article_itself_or_duplicates():
    article = published(tags=["harbour"])
    other = published(section=article.section, tags=["harbour"])
    RelatedLink.objects.create(article=article, target=article, position=0)
    RelatedLink.objects.create(article=article, target=other, position=1)

    items = related_articles_for(article, limit=5)

    assert [i.article for i in items] == [other]


@pytest.mark.parametrize("state", UNPUBLISHED_STATES)
def test_related_fill_never_includes_unpublished(state):
    article = published(tags=["harbour"])
    in_state(state, section=article.section, tags=["harbour"])

    assert related_articles_for(article, limit=4) == []


def test_related_respects_the_limit():
    article = published(tags=["harbour"])
    for _ in range(6):
        published(section=article.section, tags=["harbour"])
    assert len(related_articles_for(article, limit=3)) == 3


# ---------------------------------------------------------------------------
# One article
# ---------------------------------------------------------------------------
def test_article_get_for_reader_finds_published_by_slug_and_old_slug():
    article = published(slug="harbour-vote")
    SlugRedirect.objects.create(old_slug="harbour-plan-vote", article=article)

    assert article_get_for_reader(slug="harbour-vote") == article
    assert article_get_for_reader(slug="harbour-plan-vote") == article
    assert article_get_for_reader(slug="no-such-story") is None


@pytest.mark.parametrize("state", UNPUBLISHED_STATES)
def test_article_get_for_reader_hides_unpublished_even_through_an_old_slug(state):
    article = in_state(state, slug="secret-merger")
    SlugRedirect.objects.create(old_slug="old-secret-merger", article=article)

    assert article_get_for_reader(slug="secret-merger") is None
    assert article_get_for_reader(slug="old-secret-merger") is None


def _page_parts(article):
    return {
        "bylines": [(b.pk, b.role, b.position, b.author.name) for b in article.bylines.all()],
        "tags": sorted(t.name for t in article.tags.all()),
        "corrections": [c.pk for c in article.corrections.all()],
        "related_links": [(link.pk, link.target_id) for link in article.live_related_links],
    }


@pytest.mark.parametrize("rare_parts", [False, True], ids=["plain", "with-corrections-links"])
def test_article_get_for_reader_loads_what_the_page_queryset_loads(
    rare_parts, django_assert_num_queries
):
    first, second, third = AuthorFactory(), AuthorFactory(), AuthorFactory()
    article = published(
        slug="harbour-vote",
        authors=[(second, "Reporting by"), first, (third, "Photos by")],
        tags=["harbour", "council", "vote"],
    )
    published(authors=[first], tags=["harbour"])  # another article's rows stay out
    if rare_parts:
        CorrectionFactory(article=article)
        CorrectionFactory(article=article, kind="update", text="Adds the council's reply.")
        RelatedLink.objects.create(article=article, url="https://example.org/a", title="A")
        RelatedLink.objects.create(article=article, target=published(), position=1)

    found = article_get_for_reader(slug="harbour-vote")
    reference = article_page_queryset().get(pk=article.pk)

    with django_assert_num_queries(0):
        parts = _page_parts(found)
        assert found.section.name == article.section.name
    assert parts == _page_parts(reference)
    assert len(parts["bylines"]) == 3 and len(parts["tags"]) == 3
    assert len(parts["corrections"]) == len(parts["related_links"]) == (2 if rare_parts else 0)
    assert all(byline.article is found for byline in found.bylines.all())


def test_article_get_for_reader_related_managers_still_filter_by_article():
    first, second = AuthorFactory(), AuthorFactory()
    article = published(slug="harbour-vote", authors=[first, (second, "Photos by")])
    published(authors=[second], tags=["harbour"])

    found = article_get_for_reader(slug="harbour-vote")

    assert found == article
    assert [b.author for b in found.bylines.filter(role="Photos by")] == [second]
    assert found.bylines.count() == 2
    assert found.tags.count() == 0


def test_related_skips_hand_picked_targets_when_filling_however_many_there_are():
    article = published(tags=["harbour"])
    tagged = [
        published(section=article.section, tags=["harbour"], ago=timedelta(minutes=n))
        for n in range(1, 11)
    ]  # newest first
    for position, target in enumerate(tagged[:7]):
        RelatedLink.objects.create(article=article, target=target, position=position)

    items = related_articles_for(article, limit=8)

    assert [i.article for i in items] == tagged[:8]
    assert [i.is_hand_picked for i in items] == [True] * 7 + [False]


def test_related_fills_from_the_section_past_those_already_listed():
    article = published(tags=["harbour"])
    newest_in_section = [
        published(section=article.section, ago=timedelta(minutes=n)) for n in range(1, 6)
    ]
    RelatedLink.objects.create(article=article, target=newest_in_section[0], position=0)
    tagged = published(tags=["harbour"], ago=timedelta(days=2))

    items = related_articles_for(article, limit=4)

    assert [i.article for i in items] == [newest_in_section[0], tagged, *newest_in_section[1:3]]


@pytest.mark.parametrize("limit", [0, -1, RELATED_FETCH + 1])
def test_related_refuses_a_limit_it_cannot_fill(limit):
    with pytest.raises(ValueError, match="limit"):
        related_articles_for(published(), limit=limit)


# ---------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("state", UNPUBLISHED_STATES)
def test_lists_show_only_published_newest_first(state):
    author = AuthorFactory()
    old = published(ago=timedelta(days=2), tags=["harbour"])
    new = published(ago=timedelta(hours=1), section=old.section, tags=["harbour"])
    hidden = in_state(state, section=old.section, tags=["harbour"])
    for article in (old, new, hidden):
        BylineFactory(article=article, author=author)
    tag = new.tags.get()

    assert list(article_list_published()) == [new, old]
    assert list(article_list_published(section=old.section)) == [new, old]
    assert list(article_list_published(author=author)) == [new, old]
    assert list(article_list_published(tag=tag)) == [new, old]
    assert article_list_latest() == [new, old]
    assert article_list_latest(limit=1) == [new]


def test_archive_month_uses_the_newsroom_time_zone(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    # 23:30 UTC on March 31 is already April 1 in Berlin (UTC+2 in summer time).
    late = datetime(2025, 3, 31, 23, 30, tzinfo=UTC)
    article = ArticleFactory(status="published", published_at=late, first_published_at=late)

    assert list(article_list_published(year=2025, month=4)) == [article]
    assert list(article_list_published(year=2025, month=3)) == []


def test_home_page_has_lead_top_and_per_section_lists_without_repeats():
    world, business = SectionFactory(slug="world"), SectionFactory(slug="business")
    hidden_section = SectionFactory(slug="hidden", in_navigation=False)
    articles = [
        published(section=world if i % 2 else business, ago=timedelta(hours=i)) for i in range(12)
    ]
    published(section=hidden_section, ago=timedelta(days=9))
    in_state("draft", section=world)

    home = home_page_get(top_count=3, per_section=2)

    assert home.lead == articles[0]
    assert home.top == articles[1:4]
    by_section = {s.slug: items for s, items in home.sections}
    assert set(by_section) == {"world", "business"}
    assert by_section["world"] == [articles[5], articles[7]]
    assert by_section["business"] == [articles[4], articles[6]]


def test_tag_page_exists_only_for_tags_on_published_articles():
    in_state("draft", tags=["embargoed-merger"])
    published(tags=["harbour"])

    assert tag_get_for_reader(slug="embargoed-merger") is None
    assert tag_get_for_reader(slug="harbour").name == "harbour"


def test_author_page_hidden_for_inactive_author_without_published_work():
    draft_only = AuthorFactory(is_active=False)
    BylineFactory(article=in_state("draft"), author=draft_only)
    former = AuthorFactory(is_active=False)
    BylineFactory(article=published(), author=former)

    assert author_get_for_reader(slug=draft_only.slug) is None
    assert author_get_for_reader(slug=former.slug) == former


# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------
def test_search_finds_published_matches_only():
    match = published(title="Harbour vote passes", body="<p>The harbour plan won.</p>")
    in_state("draft", title="Harbour secret draft")
    published(title="Weather report", body="<p>Sun.</p>")

    assert list(article_search(query="harbour")) == [match]


def test_search_ranks_title_matches_above_body_matches(postgres_required):
    in_body = published(title="City budget", body="<p>The harbour is mentioned here.</p>")
    in_title = published(
        title="Harbour reopens", body="<p>Ships return.</p>", ago=timedelta(days=5)
    )

    assert list(article_search(query="harbour")) == [in_title, in_body]


def test_search_uses_english_stemming_on_postgres(postgres_required):
    article = published(title="Councils vote on harbours")
    assert list(article_search(query="harbour council")) == [article]


def test_empty_search_returns_nothing():
    published()
    assert list(article_search(query="   ")) == []


def test_search_backend_matches_the_database():
    published(title="Harbour")
    qs = article_search(query="harbour")
    assert ("rank" in qs.query.annotations) is settings.USING_POSTGRES


def test_unpublished_article_states_are_the_model_states():
    assert set(UNPUBLISHED_STATES) == set(Article.Status.values) - {"published"}
