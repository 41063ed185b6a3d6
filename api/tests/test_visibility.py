"""Anonymous clients never see unpublished content: not in lists, pages, filters, search,
comments, tags or author lists, whatever the workflow state."""

import pytest

from articles.tests.factories import ArticleFactory, SectionFactory
from authors.tests.factories import AuthorFactory
from comments.models import Comment

pytestmark = pytest.mark.django_db

HIDDEN_STATES = ["draft", "in_review", "scheduled", "unpublished"]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_anonymous_never_sees_an_unpublished_article(api, state):
    section = SectionFactory(slug="city")
    secret_author = AuthorFactory(name="Embargoed Byline", slug="embargoed-byline", is_active=False)
    article = ArticleFactory(
        **{state: True} if state != "draft" else {},
        section=section,
        title="Zeppelin merger embargoed",
        authors=[secret_author],
        tags=["Zeppelin"],
    )
    Comment.objects.create(
        article=article, author_name="Kim", author_email="kim@example.org", body="Early",
        status=Comment.Status.APPROVED, content_hash="e",
    )  # fmt: skip
    ArticleFactory(published=True, section=section, title="Public story")

    listing = api.get("/api/v1/articles/").json()
    assert [a["title"] for a in listing["results"]] == ["Public story"]
    assert api.get(f"/api/v1/articles/{article.pk}/").status_code == 404
    assert api.get(f"/api/v1/articles/{article.pk}/comments/").status_code == 404
    assert api.get("/api/v1/articles/", {"q": "zeppelin"}).json()["count"] == 0
    assert api.get("/api/v1/articles/", {"section": "city"}).json()["count"] == 1
    assert api.get("/api/v1/articles/", {"tag": "zeppelin"}).status_code == 400
    assert api.get("/api/v1/articles/", {"author": "embargoed-byline"}).status_code == 400
    assert api.get("/api/v1/articles/", {"status": state}).status_code == 400
    assert "zeppelin" not in str(api.get("/api/v1/tags/").json()).lower()
    assert "Embargoed Byline" not in str(api.get("/api/v1/authors/").json())
    assert api.get(f"/api/v1/authors/{secret_author.pk}/").status_code == 404
    body = str(api.get("/api/v1/articles/", {"page_size": 100}).json())
    assert "Zeppelin" not in body and "embargoed" not in body.lower()
