"""The API keeps the contract its schema and guide promise: anonymous reads declared as such,
the business-rule 400s described, empty parameters and non-strings refused, 405 for methods an
endpoint does not have."""

import time

import pytest

from comments.forms import form_stamp
from newsletter.selectors import list_list_public

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    return api.get("/api/v1/schema/").json()


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/articles/", "get"),
        ("/api/v1/articles/{id}/", "get"),
        ("/api/v1/authors/", "get"),
        ("/api/v1/authors/{id}/", "get"),
        ("/api/v1/sections/{slug}/", "get"),
        ("/api/v1/sections/", "get"),
        ("/api/v1/tags/", "get"),
        ("/api/v1/articles/{id}/comments/", "get"),
        ("/api/v1/articles/{id}/comments/", "post"),
        ("/api/v1/newsletter/subscribe/", "post"),
    ],
)
def test_public_operations_declare_anonymous_access(schema, path, method):
    assert {} in schema["paths"][path][method]["security"]


@pytest.mark.parametrize(
    ("path", "method"),
    [("/api/v1/articles/", "post"), ("/api/v1/articles/{id}/", "patch")],
)
def test_staff_operations_need_a_token(schema, path, method):
    security = schema["paths"][path][method]["security"]
    assert {} not in security and {"tokenAuth": []} in security


def _examples(schema, path, method) -> dict:
    content = schema["paths"][path][method]["responses"]["400"]["content"]
    return content["application/json"]["examples"]


def test_the_business_rule_400s_are_described(schema):
    articles = _examples(schema, "/api/v1/articles/", "get")
    assert "Only newsroom staff can filter by status." in str(articles)
    comments = _examples(schema, "/api/v1/articles/{id}/comments/", "post")
    assert "You have already posted this comment." in str(comments)
    subscribe = _examples(schema, "/api/v1/newsletter/subscribe/", "post")
    assert "No newsletter is called" in str(subscribe)


def test_newsletter_slugs_are_an_enum_of_the_public_lists(schema):
    body = schema["components"]["schemas"]["SubscribeRequest"]
    items = body["properties"]["lists"]["items"]
    if "$ref" in items:
        items = schema["components"]["schemas"][items["$ref"].rsplit("/", 1)[-1]]
    assert sorted(items["enum"]) == sorted(lst.slug for lst in list_list_public())


def test_the_schema_links_the_guide_the_site_serves(schema, api, settings):
    assert f"{settings.SITE_URL}/api/v1/guide/" in schema["info"]["description"]
    guide = api.get("/api/v1/guide/")
    assert guide.status_code == 200
    html = guide.content.decode()
    assert "<h1>The REST API</h1>" in html
    assert "<h2>Get a token</h2>" in html
    assert "docs/api.md" not in schema["info"]["description"]


@pytest.mark.parametrize(
    "query", ["published_before=", "section=", "tag=", "q=", "page=", "is_breaking=%20"]
)
def test_an_empty_filter_value_is_a_400_naming_it(api, published, query):
    response = api.get(f"/api/v1/articles/?{query}")

    assert response.status_code == 400
    name = query.split("=")[0]
    assert name in response.json()["errors"]


def test_next_links_never_carry_an_empty_parameter(api, section):
    from articles.tests.factories import ArticleFactory

    ArticleFactory.create_batch(3, published=True, section=section)
    response = api.get("/api/v1/articles/?page_size=1&section=city")
    assert response.status_code == 200
    assert "=&" not in response.json()["next"] and not response.json()["next"].endswith("=")


@pytest.mark.parametrize(
    ("field", "value"),
    [("body", 0), ("body", 12.5), ("author_name", True), ("author_email", ["a@example.org"])],
)
def test_a_comment_field_that_is_not_a_string_is_refused(api, published, field, value):
    data = {"author_name": "Sam", "author_email": "sam@example.org", "body": "Fine words."}
    data[field] = value
    data["stamp"] = form_stamp(published.pk, time.time() - 60)

    response = api.post(f"/api/v1/articles/{published.pk}/comments/", data, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][field] == ["Must be a string, not a number, boolean or list."]
    assert not published.comments.exists()


def test_article_writes_refuse_numbers_for_strings(as_token, reporter, section):
    response = as_token(reporter).post(
        "/api/v1/articles/",
        {"title": 2030, "body": "<p>x</p>", "section": "city", "tags": ["ok", 7]},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["title"] == ["Must be a string, not a number, boolean or list."]
    assert errors["tags.1"] == ["Must be a string, not a number, boolean or list."]


def test_an_unknown_newsletter_is_refused_by_name(api):
    response = api.post(
        "/api/v1/newsletter/subscribe/",
        {"email": "r@example.org", "lists": ["sports"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"lists.0": ['No newsletter is called "sports".']}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/?page=2",
        "/api/v1/articles/?unknown=1",
        "/api/v1/authors/?x=",
        "/api/v1/newsletter/subscribe/?a=b",
        "/api/v1/articles/",
    ],
)
def test_trace_answers_405_whatever_the_query(api, published, path):
    response = api.generic("TRACE", path)
    assert response.status_code == 405
