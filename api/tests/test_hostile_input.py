"""Bodies built to break the API, comment posts without the form, and slugs that would take over
another article's old address: each answers a clear 4xx in the API's error shape."""

import json
import time

import pytest
from django.urls import reverse

from articles.models import SlugRedirect
from articles.services.editing import article_update
from articles.services.workflow import article_publish
from articles.tests.admin_helpers import form_fields
from articles.tests.factories import ArticleFactory
from comments.forms import form_stamp
from comments.models import Comment

pytestmark = pytest.mark.django_db


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"detail", "errors"} and body["detail"]
    return body


# ---------------------------------------------------------------------------
# Deeply nested and oversize bodies
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("depth", [40, 100_000])
def test_a_deeply_nested_body_is_a_400(api, published, depth):
    body = '{"author_name": ' + "[" * depth + "]" * depth + "}"
    response = api.generic(
        "POST",
        f"/api/v1/articles/{published.pk}/comments/",
        body,
        content_type="application/json",
    )
    data = assert_error_shape(response, 400)
    assert "nested too deeply" in data["detail"]


def test_an_oversize_body_is_a_413(api, published, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = '{"body": "' + "x" * 20_000 + '"}'
    response = api.generic(
        "POST",
        f"/api/v1/articles/{published.pk}/comments/",
        body,
        content_type="application/json",
    )
    data = assert_error_shape(response, 413)
    assert "at most 10000 bytes" in data["detail"]
    assert not Comment.objects.exists()


def test_an_oversize_staff_write_is_a_413(as_token, editor, published, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = as_token(editor).patch(
        f"/api/v1/articles/{published.pk}/",
        {"body": "<p>" + "x" * 20_000 + "</p>", "version": published.version},
        format="json",
    )
    assert_error_shape(response, 413)


def test_a_body_within_the_limits_still_parses(api, published):
    response = api.post(
        f"/api/v1/articles/{published.pk}/comments/",
        {"author_name": "Sam", "author_email": "sam@example.org", "body": "Fine."},
        format="json",
    )
    # Parsed: refused for its missing stamp, not for its shape.
    assert "stamp" in assert_error_shape(response, 400)["errors"]


# ---------------------------------------------------------------------------
# The comment form's bot checks, for posts without a token
# ---------------------------------------------------------------------------
def comment(article, **fields) -> dict:
    return {"author_name": "Sam", "author_email": "sam@example.org", "body": "Well put.", **fields}


def test_a_post_without_a_token_needs_the_forms_stamp(api, published):
    url = f"/api/v1/articles/{published.pk}/comments/"
    missing = assert_error_shape(api.post(url, comment(published), format="json"), 400)
    assert missing["errors"]["stamp"] == [
        "The form could not be verified. Please send your comment again."
    ]
    forged = comment(published, stamp="eyJhIjoxLCJ0IjoxfQ:forged")
    assert "stamp" in assert_error_shape(api.post(url, forged, format="json"), 400)["errors"]
    assert not Comment.objects.exists()


def test_a_stamp_from_the_api_is_refused_until_the_minimum_time_has_passed(
    api, published, settings
):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 30
    stamp = api.get(f"/api/v1/articles/{published.pk}/comments/stamp/")
    assert stamp.status_code == 200 and "no-store" in stamp["Cache-Control"]
    url = f"/api/v1/articles/{published.pk}/comments/"
    too_fast = api.post(url, comment(published, stamp=stamp.json()["stamp"]), format="json")
    assert "quicker than anyone can type" in assert_error_shape(too_fast, 400)["detail"]
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    fine = api.post(url, comment(published, stamp=stamp.json()["stamp"]), format="json")
    assert fine.status_code == 201, fine.json()


def test_a_stamp_of_another_article_or_an_expired_one_is_refused(api, published, section, settings):
    other = ArticleFactory(published=True, section=section)
    url = f"/api/v1/articles/{published.pk}/comments/"
    elsewhere = comment(published, stamp=form_stamp(other.pk, time.time() - 60))
    assert "stamp" in assert_error_shape(api.post(url, elsewhere, format="json"), 400)["errors"]
    old = time.time() - settings.COMMENTS_FORM_MAX_AGE - 60
    expired = comment(published, stamp=form_stamp(published.pk, old))
    assert "expired" in assert_error_shape(api.post(url, expired, format="json"), 400)["detail"]


def test_a_filled_honeypot_is_refused(api, published):
    data = comment(
        published, stamp=form_stamp(published.pk, time.time() - 60), homepage="https://spam"
    )
    response = api.post(f"/api/v1/articles/{published.pk}/comments/", data, format="json")
    assert "homepage" in assert_error_shape(response, 400)["errors"]
    assert not Comment.objects.exists()


def test_a_client_with_a_token_posts_without_a_stamp(as_token, moderator, published):
    response = as_token(moderator).post(
        f"/api/v1/articles/{published.pk}/comments/", comment(published), format="json"
    )
    assert response.status_code == 201, response.json()


# ---------------------------------------------------------------------------
# An explicit slug may not take over another article's old address
# ---------------------------------------------------------------------------
@pytest.fixture
def renamed(editor, section):
    """A published article whose slug changed: its old URL redirects to it."""
    article = ArticleFactory(section=section, slug="harbour-vote", created_by=editor)
    article = article_publish(user=editor, article=article)
    article_update(
        user=editor, article=article, data={"slug": "harbour-vote-result"}, expected_version=None
    )
    assert SlugRedirect.objects.filter(old_slug="harbour-vote", article=article).exists()
    return article


def test_the_api_refuses_an_old_slug_of_another_article(as_token, editor, renamed, section):
    client = as_token(editor)
    created = client.post(
        "/api/v1/articles/", {"title": "Other", "section": "city", "slug": "harbour-vote"}
    )
    assert "used this slug before" in assert_error_shape(created, 400)["errors"]["slug"][0]
    draft = ArticleFactory(section=section, created_by=editor)
    changed = client.patch(
        f"/api/v1/articles/{draft.pk}/",
        {"slug": "harbour-vote", "version": draft.version},
        format="json",
    )
    assert "used this slug before" in assert_error_shape(changed, 400)["errors"]["slug"][0]
    assert SlugRedirect.objects.get(old_slug="harbour-vote").article == renamed


def test_the_admin_refuses_an_old_slug_of_another_article(client, editor, renamed, section):
    client.force_login(editor)
    add = reverse("admin:articles_article_add")
    form = form_fields(client.get(add).content)
    form.update(title="Other", slug="harbour-vote", section=str(section.pk))
    response = client.post(add, form)
    assert response.status_code == 200
    assert "used this slug before" in response.content.decode()
    assert SlugRedirect.objects.get(old_slug="harbour-vote").article == renamed


# ---------------------------------------------------------------------------
# Text that is not Unicode, and names that cannot be slugs
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    ['{"title": "\\ud800"}', '{"title": "a\\udc00b"}', '{"\\ud83d": "x"}', '{"tags": ["\\ud800"]}'],
    ids=["lone-high", "lone-low", "in-a-key", "in-a-list"],
)
def test_a_lone_surrogate_in_a_json_body_is_a_400(as_token, editor, published, body):
    for method, url in (
        ("POST", "/api/v1/articles/"),
        ("POST", f"/api/v1/articles/{published.pk}/comments/"),
    ):
        response = as_token(editor).generic(method, url, body, content_type="application/json")
        data = assert_error_shape(response, 400)
        assert "not valid Unicode text" in data["detail"]


def test_a_surrogate_pair_is_ordinary_text(as_token, editor, published):
    response = as_token(editor).generic(
        "POST",
        "/api/v1/articles/",
        # ensure_ascii spells the emoji as the JSON escape pair "\\ud83d\\udc4d".
        json.dumps({"title": "Thumbs \U0001f44d", "section": published.section.slug}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content[:300]
    assert response.json()["title"] == "Thumbs \U0001f44d"


@pytest.mark.parametrize("section", ["a\x00b", "../city", "city?x=1", ""])
def test_a_section_no_slug_can_name_is_a_400(as_token, editor, section):
    response = as_token(editor).post(
        "/api/v1/articles/", {"title": "Harbour", "section": section}, format="json"
    )
    data = assert_error_shape(response, 400)
    assert "section" in data["errors"]
