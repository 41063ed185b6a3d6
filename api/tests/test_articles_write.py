import pytest
from django.utils import timezone

from articles.models import Article, WorkflowEvent
from articles.tests.factories import ArticleFactory
from authors.tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def detail(article) -> str:
    return f"{LIST}{article.pk}/"


def test_reporter_creates_a_draft_with_bylines_tags_and_related(as_token, reporter, section):
    photographer = AuthorFactory(name="Jo Lee", slug="jo-lee")
    related = ArticleFactory(published=True, section=section)
    response = as_token(reporter).post(
        LIST,
        {
            "title": "Council approves harbour plan",
            "body": '<p onclick="x()">Vote <script>alert(1)</script>passed.</p>',
            "section": "city",
            "tags": ["Harbour", "City council", "harbour"],
            "authors": [reporter.author_profile.pk, {"id": photographer.pk, "role": "Photos by"}],
            "related": [related.pk],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    article = Article.objects.get(pk=data["id"])
    assert article.status == "draft" and data["status"] == "draft"
    assert article.created_by == reporter
    assert "<script>" not in article.body and "onclick" not in article.body
    assert [(a["slug"], a["role"]) for a in data["authors"]] == [
        ("rita-reporter", ""),
        ("jo-lee", "Photos by"),
    ]
    assert sorted(t["name"] for t in data["tags"]) == ["City council", "Harbour"]
    assert response["Location"].endswith(f"/api/v1/articles/{article.pk}/")
    assert response["ETag"].startswith(f'"v{article.version}-')


def test_create_reports_field_errors(as_token, reporter, section):
    response = as_token(reporter).post(
        LIST,
        {"title": "", "section": "nope", "authors": [999999, {"id": "x"}], "colour": "red"},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"colour"}  # unknown fields are refused before anything else
    response = as_token(reporter).post(
        LIST, {"title": "", "section": "nope", "authors": [999999, {"id": "x"}]}, format="json"
    )
    errors = response.json()["errors"]
    assert {"title", "section", "authors.1"} <= set(errors)
    assert response.json()["detail"]


def test_patch_with_current_etag_saves(as_token, reporter, draft):
    client = as_token(reporter)
    etag = client.get(detail(draft))["ETag"]
    response = client.patch(
        detail(draft), {"title": "New title"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "New title"
    assert response.json()["version"] == draft.version + 1
    assert response["ETag"] != etag


def test_stale_if_match_is_412_naming_who_and_nothing_is_written(as_token, reporter, editor, draft):
    client = as_token(reporter)
    etag = client.get(detail(draft))["ETag"]
    assert (
        as_token(editor)
        .patch(detail(draft), {"dek": "Editor's dek"}, format="json", HTTP_IF_MATCH=etag)
        .status_code
        == 200
    )

    response = client.patch(detail(draft), {"title": "Mine"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    body = response.json()
    assert "Edna Editor" in body["detail"]
    assert body["conflict"]["changed_by"] == "Edna Editor"
    assert body["conflict"]["current_version"] == draft.version + 1
    draft.refresh_from_db()
    assert draft.title == "Secret draft" and draft.dek == "Editor's dek"


def test_stale_version_field_is_409(as_token, reporter, editor, draft):
    as_token(editor).patch(detail(draft), {"dek": "x", "version": draft.version}, format="json")
    response = as_token(reporter).patch(
        detail(draft), {"title": "Mine", "version": draft.version}, format="json"
    )
    assert response.status_code == 409
    assert "version" in response.json()["errors"]
    assert Article.objects.get(pk=draft.pk).title == "Secret draft"


def test_patch_without_a_precondition_is_428(as_token, reporter, draft):
    response = as_token(reporter).patch(detail(draft), {"title": "x"}, format="json")
    assert response.status_code == 428


def test_weak_or_foreign_if_match_is_412(as_token, reporter, draft):
    response = as_token(reporter).patch(
        detail(draft), {"title": "x"}, format="json", HTTP_IF_MATCH='W/"v1-abc"'
    )
    assert response.status_code == 412


def test_workflow_submit_publish_unpublish(as_token, reporter, editor, draft):
    assert as_token(reporter).post(f"{detail(draft)}submit/").json()["status"] == "in_review"
    response = as_token(reporter).post(f"{detail(draft)}publish/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only editors can publish articles."
    published = as_token(editor).post(f"{detail(draft)}publish/", {"comment": "Go"}, format="json")
    assert published.json()["status"] == "published"
    again = as_token(editor).post(f"{detail(draft)}submit/")
    assert again.status_code == 409
    assert "draft" in again.json()["detail"]
    assert as_token(editor).post(f"{detail(draft)}unpublish/").json()["status"] == "unpublished"
    actions = list(WorkflowEvent.objects.filter(article=draft).values_list("action", flat=True))
    assert {"submit", "publish", "unpublish"} <= set(actions)


def test_publish_with_future_time_schedules(as_token, editor, draft):
    when = (timezone.now() + timezone.timedelta(days=1)).isoformat()
    response = as_token(editor).post(
        f"{detail(draft)}publish/", {"publish_at": when}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "scheduled"
    assert response.json()["publish_at"]


def test_revisions_are_listed_for_staff(as_token, reporter, draft):
    client = as_token(reporter)
    etag = client.get(detail(draft))["ETag"]
    client.patch(detail(draft), {"title": "Second"}, format="json", HTTP_IF_MATCH=etag)
    response = client.get(f"{detail(draft)}revisions/")
    assert response.status_code == 200
    assert response.json()["results"][0]["title"] == "Second"
    assert response.json()["results"][0]["user"]["name"] == "Rita Reporter"
