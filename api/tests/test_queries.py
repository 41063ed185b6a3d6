"""Query counts stay fixed as a page fills up: pinned, so a change that adds a query per item
fails here rather than in production."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Byline, Correction, RelatedLink
from articles.tests.factories import ArticleFactory
from authors.tests.factories import AuthorFactory
from comments.models import Comment

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def _count(client, url, **params) -> int:
    cache.clear()  # measure the rendering, not the origin cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def _rich_article(section, n: int):
    authors = [AuthorFactory() for _ in range(n)]
    article = ArticleFactory(
        published=True,
        section=section,
        authors=authors,
        tags=[f"tag {i}" for i in range(n)],
    )
    for i in range(n):
        target = ArticleFactory(published=True, section=section)
        RelatedLink.objects.create(article=article, target=target, position=i)
        Correction.objects.create(article=article, text=f"Correction {i}")
        Comment.objects.create(
            article=article,
            author_name="Sam",
            author_email="sam@example.org",
            body=f"Comment {i}",
            status=Comment.Status.APPROVED,
            content_hash=str(i),
        )
    return article


def test_list_query_count_does_not_grow_with_page_size(api, section, django_assert_max_num_queries):
    _rich_article(section, 2)
    one = _count(api, LIST, page_size=100)
    for _ in range(99):
        _rich_article(section, 0)
    article = ArticleFactory(published=True, section=section, tags=["x", "y"])
    Byline.objects.create(article=article, author=AuthorFactory(), position=0)
    hundred = _count(api, LIST, page_size=100)
    assert hundred == one
    cache.clear()
    with django_assert_max_num_queries(one):
        assert len(api.get(LIST, {"page_size": 100}).json()["results"]) == 100


def test_staff_list_query_count_is_fixed(as_token, editor, section):
    client = as_token(editor)
    ArticleFactory(section=section)
    one = _count(client, LIST, status="draft", page_size=100)
    for _ in range(30):
        article = ArticleFactory(section=section, tags=["a"])
        Byline.objects.create(article=article, author=AuthorFactory(), position=0)
    assert _count(client, LIST, status="draft", page_size=100) == one


def test_detail_query_count_does_not_grow_with_bylines_tags_related(
    api, section, django_assert_max_num_queries
):
    small = _rich_article(section, 1)
    big = _rich_article(section, 6)
    small_count = _count(api, f"{LIST}{small.pk}/")
    # Never more; one fewer when hand-picked links fill "related" and no fill-up query runs.
    assert _count(api, f"{LIST}{big.pk}/") <= small_count
    data = api.get(f"{LIST}{big.pk}/").json()
    assert len(data["authors"]) == 6 and len(data["tags"]) == 6
    assert len(data["related"]) == 4 and len(data["corrections"]) == 6
    assert data["comment_count"] == 6
    cache.clear()
    with django_assert_max_num_queries(small_count):
        api.get(f"{LIST}{big.pk}/")
