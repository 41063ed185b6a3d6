"""PreparedQuery: compiled once per connection, then the same rows as the queryset it wraps."""

from datetime import timedelta

import pytest
from django.db import connections
from django.db.models import Exists, OuterRef, Value

from articles.models import Article, Correction
from articles.tests.factories import ArticleFactory, CorrectionFactory, SectionFactory
from newsroom.prepared import PreparedQuery, PreparedQueryError

pytestmark = pytest.mark.django_db


def _articles(**lookup):
    return (
        Article.objects.published()
        .filter(**lookup)
        .select_related("section")
        .defer("search_vector", "body")
        .annotate(has_corrections=Exists(Correction.objects.filter(article=OuterRef("pk"))))
        .order_by("-published_at", "pk")
    )


IN_SECTION = PreparedQuery(lambda section_id: _articles(section_id=section_id), section_id=int)
BY_SLUG = PreparedQuery(lambda slug: _articles(slug=slug)[:1], slug=str)


def _fields(article):
    return (
        article.pk,
        article.title,
        article.slug,
        article.published_at,
        article.section.name,
        article.has_corrections,
    )


def test_fetch_returns_what_the_queryset_returns_for_each_value():
    world, sport = SectionFactory(slug="world"), SectionFactory(slug="sport")
    for section in (world, world, sport):
        ArticleFactory(published=True, section=section)
    ArticleFactory(section=world)  # a draft: published() keeps it out
    CorrectionFactory(article=Article.objects.filter(section=world).published().first())

    for section in (world, sport):
        fetched = IN_SECTION.fetch(section_id=section.pk)
        expected = list(_articles(section_id=section.pk))
        assert [_fields(a) for a in fetched] == [_fields(a) for a in expected]
        assert len(fetched) == (2 if section is world else 1)
    assert {a.has_corrections for a in IN_SECTION.fetch(section_id=world.pk)} == {True, False}


def test_fetched_instances_are_like_queryset_ones():
    article = ArticleFactory(published=True)
    [fetched] = BY_SLUG.fetch(slug=article.slug)

    assert isinstance(fetched, Article) and not fetched._state.adding
    assert fetched._state.db == "default"
    assert fetched.published_at.tzinfo is not None  # converters ran
    assert fetched.has_corrections is False  # a bool, also where the database says 0
    assert "body" in fetched.get_deferred_fields()
    assert fetched.body == article.body  # a deferred field still loads on access


def test_each_run_is_one_query_and_compiles_once_per_connection(django_assert_num_queries):
    article = ArticleFactory(published=True)
    connection = connections["default"]
    BY_SLUG.fetch(slug=article.slug)
    compiled = BY_SLUG.compiled(connection)

    with django_assert_num_queries(1):
        assert BY_SLUG.fetch(slug="no-such-story") == []

    assert BY_SLUG.compiled(connection) is compiled


def test_a_value_used_twice_is_set_in_every_place():
    article = ArticleFactory(published=True, title="same-words", slug="same-words")
    ArticleFactory(published=True, title="other", slug="same-words-2")
    twice = PreparedQuery(lambda text: _articles(slug=text, title=text), text=str)

    assert [a.pk for a in twice.fetch(text="same-words")] == [article.pk]
    assert twice.fetch(text="same-words-2") == []


def test_hostile_values_are_bound_never_spliced():
    article = ArticleFactory(published=True)
    for value in ("x' OR '1'='1", "%s", "%(slug)s", "'; DROP TABLE articles_article; --", "\\"):
        assert BY_SLUG.fetch(slug=value) == []
    assert [a.pk for a in BY_SLUG.fetch(slug=article.slug)] == [article.pk]


def test_refuses_a_queryset_whose_sql_depends_on_the_values():
    ArticleFactory(published=True)
    sliced = PreparedQuery(lambda count: Article.objects.all()[: 5 + count % 3], count=int)
    with pytest.raises(PreparedQueryError, match="changes with the values"):
        sliced.fetch(count=1)

    unused = PreparedQuery(lambda slug: Article.objects.filter(pk=1), slug=str)
    with pytest.raises(PreparedQueryError, match="not used"):
        unused.fetch(slug="a")

    # A value turned into something else before it reaches the SQL cannot be set later.
    shifted = PreparedQuery(
        lambda days: Article.objects.filter(published_at__gte=Value(timedelta(days=abs(days)))),
        days=int,
    )
    with pytest.raises(PreparedQueryError):
        shifted.fetch(days=1)


def test_values_must_be_the_declared_scalars():
    with pytest.raises(TypeError, match="Only str and int"):
        PreparedQuery(lambda ids: Article.objects.filter(pk__in=ids), ids=list)
    with pytest.raises(TypeError, match="must be str"):
        BY_SLUG.fetch(slug=5)
    with pytest.raises(TypeError, match="must be int"):
        IN_SECTION.fetch(section_id=True)
    with pytest.raises(TypeError, match="Expected values"):
        IN_SECTION.fetch(section=1)


def test_each_thread_compiles_for_its_own_connection_and_lets_it_go():
    import gc
    import threading
    import weakref

    seen = {}

    def run():
        connection = connections["default"]
        seen["compiled"] = BY_SLUG.compiled(connection)
        seen["connection"] = weakref.ref(connection)
        connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()

    assert seen["compiled"] is not BY_SLUG.compiled(connections["default"])
    del seen["compiled"]
    gc.collect()
    assert seen["connection"]() is None  # nothing kept the thread's connection alive
