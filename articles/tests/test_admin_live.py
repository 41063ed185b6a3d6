"""Live coverage in the admin: editors open and end it from the article's page, which carries
the entry composer (posting through the API with the session: api/tests/test_entries.py)."""

import pytest
from django.test import Client

from articles.services import live
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_an_editor_opens_coverage_and_gets_the_composer(editor):
    article = ArticleFactory(published=True)
    client = signed_in(editor)
    page = client.get(change(article)).content.decode()
    assert "Turn into live coverage" in page and "data-live-composer" not in page
    response = client.post(f"/admin/articles/article/{article.pk}/live/open/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_live
    page = client.get(change(article)).content.decode()
    assert "data-live-composer" in page and "articles/admin/live-composer.js" in page
    assert f'data-api="/api/v1/articles/{article.pk}/entries/"' in page
    assert "End live coverage" in page


def test_an_editor_ends_coverage_with_a_summary(editor):
    article = live.live_coverage_open(user=editor, article=ArticleFactory(published=True))
    response = signed_in(editor).post(
        f"/admin/articles/article/{article.pk}/live/end/", {"summary": "<p>All clear.</p>"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.is_live and article.live_summary == "<p>All clear.</p>"


def test_a_reporter_cannot_open_or_end_coverage_in_the_admin(reporter, editor):
    article = ArticleFactory(created_by=reporter)
    client = signed_in(reporter)
    assert client.post(f"/admin/articles/article/{article.pk}/live/open/").status_code == 403
    live.live_coverage_open(user=editor, article=article)
    assert client.post(f"/admin/articles/article/{article.pk}/live/end/").status_code == 403
    page = client.get(change(article)).content.decode()
    assert "data-live-composer" in page and "End live coverage" not in page
