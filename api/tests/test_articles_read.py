from datetime import datetime

import pytest
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import ArticleFactory, SectionFactory
from authors.tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def test_list_shows_published_articles_newest_first(api, section):
    old = ArticleFactory(published=True, section=section)
    new = ArticleFactory(published=True, section=section)
    Article.objects.filter(pk=old.pk).update(published_at=new.published_at.replace(year=2020))
    ArticleFactory(section=section)  # a draft

    response = api.get(LIST)

    assert response.status_code == 200
    assert [a["id"] for a in response.json()["results"]] == [new.pk, old.pk]
    assert response.json()["count"] == 2


def test_reverse_names_are_namespaced():
    assert reverse("api:article-list") == LIST
    assert reverse("api:article-detail", kwargs={"pk": 5}) == "/api/v1/articles/5/"


def test_detail_has_the_documented_representation(api, published, settings):
    response = api.get(f"{LIST}{published.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert data["url"] == settings.SITE_URL + published.get_absolute_url()
    assert data["section"]["slug"] == "city"
    assert data["tags"] == [{"slug": "harbour", "name": "Harbour"}]
    assert data["authors"][0]["name"] == "Ana Ruiz"
    assert data["reading_time"] >= 1
    assert "status" not in data and "version" not in data
    assert data["published_at"].endswith("Z") or "+" in data["published_at"]


def test_anonymous_never_sees_a_draft(api, draft):
    assert api.get(f"{LIST}{draft.pk}/").status_code == 404
    assert api.get(LIST).json()["count"] == 0


def test_staff_see_status_and_version(as_token, editor, draft):
    data = as_token(editor).get(f"{LIST}{draft.pk}/").json()
    assert data["status"] == "draft"
    assert data["version"] == draft.version


def test_unknown_query_parameter_is_a_400(api):
    response = api.get(LIST, {"secton": "city"})
    assert response.status_code == 400
    body = response.json()
    assert "secton" in body["detail"]
    assert body["errors"] == {"secton": ["Unknown query parameter."]}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"section": "nope"}, "section"),
        ({"published_after": "yesterday"}, "published_after"),
        ({"is_breaking": "maybe"}, "is_breaking"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "zero"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"status": "draft"}, "status"),
    ],
)
def test_bad_filter_values_are_400_with_the_field(api, section, params, field):
    response = api.get(LIST, params)
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]


def test_filters_narrow_the_list(api, section):
    sport = SectionFactory(name="Sport", slug="sport")
    author = AuthorFactory(slug="kim")
    match = ArticleFactory(
        published=True, section=sport, authors=[author], tags=["Football"], is_breaking=True
    )
    ArticleFactory(published=True, section=section, tags=["Football"])
    for params in ({"section": "sport"}, {"author": "kim"}, {"is_breaking": "true"}):
        results = api.get(LIST, params).json()["results"]
        assert [a["id"] for a in results] == [match.pk], params
    assert api.get(LIST, {"tag": "football"}).json()["count"] == 2


def test_a_tag_only_on_drafts_is_unknown_to_readers(api, draft, published):
    response = api.get(LIST, {"tag": "embargoed"})
    assert response.status_code == 400


def test_search_finds_published_articles_only(api, section):
    ArticleFactory(published=True, section=section, title="Lighthouse reopens")
    ArticleFactory(section=section, title="Lighthouse secret draft")
    results = api.get(LIST, {"q": "lighthouse"}).json()["results"]
    assert [a["title"] for a in results] == ["Lighthouse reopens"]


def test_staff_list_drafts_with_status(as_token, reporter, draft, published):
    results = as_token(reporter).get(LIST, {"status": "draft"}).json()["results"]
    assert [a["id"] for a in results] == [draft.pk]


def test_a_correction_moves_updated_at(api, published, editor, django_capture_on_commit_callbacks):
    from articles.services.corrections import correction_add

    assert api.get(f"{LIST}{published.pk}/").json()["updated_at"] is None
    assert api.get(LIST).json()["results"][0]["updated_at"] is None
    with django_capture_on_commit_callbacks(execute=True):  # the caches' purge
        note = correction_add(user=editor, article=published, kind="correction", text="Fixed.")
    detail = api.get(f"{LIST}{published.pk}/").json()
    assert detail["corrections"][0]["text"] == "Fixed."
    for data in (detail, api.get(LIST).json()["results"][0]):
        assert datetime.fromisoformat(data["updated_at"]) == note.noted_at
