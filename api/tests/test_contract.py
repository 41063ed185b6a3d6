"""The API keeps the contract its schema and guide promise, checked operation by operation
against the schema itself: anonymous access declared exactly where anonymous callers get in,
every documented 400 example is what the API answers, every query parameter refuses an empty
value, every string field of every request body refuses anything but a string, and a method an
endpoint does not have is a 405 whatever the query string."""

import time

import pytest

from articles.services import live
from articles.services.proposals import change_proposal_create
from articles.tests.factories import ArticleFactory
from comments.forms import form_stamp
from comments.models import Comment
from newsletter.selectors import list_list_public

from ..filters import ArticleFilter
from ..serializers.common import NOT_A_STRING
from .conftest import token_client

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def schema(api):
    return api.get("/api/v1/schema/").json()


@pytest.fixture
def world(section, reporter, editor):
    """An article on the reporter's byline with an approved comment and a pending proposal:
    every path of the API has something real to name."""
    article = ArticleFactory(
        published=True, section=section, authors=[reporter.author_profile], tags=["Harbour"]
    )
    comment = Comment.objects.create(
        article=article,
        author_name="Kim",
        author_email="kim@example.org",
        body="First",
        status=Comment.Status.APPROVED,
        content_hash="k",
    )
    proposal = change_proposal_create(user=reporter, article=article, data={"dek": "Closer"})
    live.live_coverage_open(user=editor, article=article)
    entry = live.entry_post(user=reporter, article=article, body="<p>Update</p>")
    return {
        "entry": entry,
        "article": article,
        "author": reporter.author_profile,
        "comment": comment,
        "proposal": proposal,
        "section": section,
    }


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def _url(path: str, world) -> str:
    """A schema path with its parameters filled in from ``world``."""
    ident = world["article"].pk
    if path.startswith("/api/v1/comments/"):
        ident = world["comment"].pk
    elif path.startswith("/api/v1/authors/"):
        ident = world["author"].pk
    return path.format(
        id=ident,
        proposal_id=world["proposal"].pk,
        entry_id=world["entry"].pk,
        slug=world["section"].slug,
    )


def _query_parameters(operation) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]


def _call(client, method: str, url: str, body=None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body if body is not None else {}, format="json")


def _examples_400(operation) -> dict:
    content = operation["responses"]["400"]["content"]["application/json"]
    return {
        example.get("summary", key): example["value"]
        for key, example in content["examples"].items()
    }


def _example(schema, path: str, method: str, name: str) -> dict:
    return _examples_400(schema["paths"][path][method])[name]


# -- Who may call what ---------------------------------------------------------------------


PUBLIC = {
    ("/api/v1/articles/", "get"),
    ("/api/v1/articles/{id}/", "get"),
    ("/api/v1/articles/{id}/comments/", "get"),
    ("/api/v1/articles/{id}/comments/", "post"),
    ("/api/v1/articles/{id}/comments/stamp/", "get"),
    ("/api/v1/articles/{id}/entries/", "get"),
    ("/api/v1/articles/{id}/entries/{entry_id}/", "get"),
    ("/api/v1/authors/", "get"),
    ("/api/v1/authors/{id}/", "get"),
    ("/api/v1/sections/", "get"),
    ("/api/v1/sections/{slug}/", "get"),
    ("/api/v1/tags/", "get"),
    ("/api/v1/comments/{id}/flag/", "post"),
    ("/api/v1/newsletter/subscribe/", "post"),
}


def test_public_operations_declare_anonymous_access_and_the_rest_a_token(schema):
    declared = set()
    for path, method, operation in _operations(schema):
        security = operation["security"]
        assert {"tokenAuth": []} in security, (method, path)
        if {} in security:
            declared.add((path, method))
    assert declared == PUBLIC


def test_anonymous_access_is_declared_exactly_where_anonymous_callers_get_in(schema, world, api):
    wrong = []
    for path, method, operation in _operations(schema):
        response = _call(api, method, _url(path, world))
        if ({} in operation["security"]) != (response.status_code != 401):
            wrong.append((method.upper(), path, response.status_code))
    assert wrong == []


def test_the_schema_links_the_guide_the_site_serves(api, settings):
    settings.SITE_URL = "https://news.example.org"
    description = api.get("/api/v1/schema/").json()["info"]["description"]
    assert "[https://news.example.org/api/v1/guide/](https://news.example.org/api/v1/guide/)" in (
        description
    )
    assert "docs/api.md" not in description and "github" not in description.lower()

    guide = api.get("/api/v1/guide/")
    assert guide.status_code == 200
    assert guide["Cache-Control"].startswith("public")
    html = guide.content.decode()
    assert "<h1>The REST API</h1>" in html
    assert "<h2>Get a token</h2>" in html


# -- Every documented 400 is what the API answers -------------------------------------------

# Every example of a 400 in the schema is checked against a real answer below; a new one needs
# a test here.
CHECKED_EXAMPLES = {
    "Unknown parameter",
    "Empty parameter",
    "Unknown field",
    "Not a string",
    "Staff only filter",
    "Unknown section",
    "Not a date",
    "Duplicate comment",
    "Posted too fast",
    "Unknown newsletter",
}


def test_every_operation_documents_its_400s_with_examples(schema):
    names = set()
    for path, method, operation in _operations(schema):
        examples = _examples_400(operation)
        assert "Unknown parameter" in examples, (method, path)
        if _query_parameters(operation):
            assert "Empty parameter" in examples, (method, path)
        if "requestBody" in operation:
            assert {"Unknown field", "Not a string"} <= set(examples), (method, path)
        names |= set(examples)
    assert names == CHECKED_EXAMPLES


def test_the_examples_every_operation_keeps_are_what_it_answers(schema, world, editor):
    client = token_client(editor)
    wrong = []
    for path, method, operation in _operations(schema):
        url, examples = _url(path, world), _examples_400(operation)
        answers = {"Unknown parameter": _call(client, method, f"{url}?sort=1")}
        if "Empty parameter" in examples:
            (name,) = examples["Empty parameter"]["errors"]
            answers["Empty parameter"] = _call(client, method, f"{url}?{name}=")
        if "Unknown field" in examples:
            answers["Unknown field"] = _call(client, method, url, {"colour": "red"})
        if "Not a string" in examples:
            (name,) = examples["Not a string"]["errors"]
            field, _, item = name.partition(".")
            answers["Not a string"] = _call(client, method, url, {field: [0] if item else 0})
        for name, response in answers.items():
            if response.status_code != 400 or response.json() != examples[name]:
                wrong.append((method.upper(), path, name, response.status_code, response.json()))
    assert wrong == []


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("Staff only filter", "status=draft"),
        ("Unknown section", "section=sprots"),
        ("Not a date", "published_after=last-tuesday"),
    ],
)
def test_the_article_list_answers_its_documented_400s(schema, api, published, name, query):
    response = api.get(f"/api/v1/articles/?{query}")

    assert response.status_code == 400
    assert response.json() == _example(schema, "/api/v1/articles/", "get", name)


def test_an_unknown_section_in_a_write_is_the_documented_400(schema, as_token, editor, section):
    body = {"title": "Harbour", "body": "<p>x</p>", "section": "sprots"}
    created = as_token(editor).post("/api/v1/articles/", body, format="json")

    assert created.status_code == 400
    assert created.json() == _example(schema, "/api/v1/articles/", "post", "Unknown section")


def _comment(article, **overrides) -> dict:
    return {
        "author_name": "Sam",
        "author_email": "sam@example.org",
        "body": "Good news for cyclists.",
        "stamp": form_stamp(article.pk, time.time() - 60),
        **overrides,
    }


def test_a_duplicate_comment_is_the_documented_400(schema, api, published):
    url = f"/api/v1/articles/{published.pk}/comments/"
    assert api.post(url, _comment(published), format="json").status_code == 201

    again = api.post(url, _comment(published), format="json")

    assert again.status_code == 400
    path = "/api/v1/articles/{id}/comments/"
    assert again.json() == _example(schema, path, "post", "Duplicate comment")
    assert published.comments.count() == 1


def test_a_comment_posted_too_fast_is_the_documented_400(schema, api, published):
    stamp = form_stamp(published.pk, time.time())
    url = f"/api/v1/articles/{published.pk}/comments/"
    response = api.post(url, _comment(published, stamp=stamp), format="json")

    assert response.status_code == 400
    path = "/api/v1/articles/{id}/comments/"
    assert response.json() == _example(schema, path, "post", "Posted too fast")
    assert not published.comments.exists()


def test_an_unknown_newsletter_is_the_documented_400(schema, api):
    response = api.post(
        "/api/v1/newsletter/subscribe/",
        {"email": "r@example.org", "lists": ["sports"]},
        format="json",
    )
    assert response.status_code == 400
    path = "/api/v1/newsletter/subscribe/"
    assert response.json() == _example(schema, path, "post", "Unknown newsletter")


def test_newsletter_slugs_are_an_enum_of_the_public_lists(schema):
    body = schema["components"]["schemas"]["SubscribeRequest"]
    items = body["properties"]["lists"]["items"]
    if "$ref" in items:
        items = schema["components"]["schemas"][items["$ref"].rsplit("/", 1)[-1]]
    assert sorted(items["enum"]) == sorted(lst.slug for lst in list_list_public())


# -- Query parameters ------------------------------------------------------------------------


def test_the_schema_lists_every_article_filter(schema):
    listed = _query_parameters(schema["paths"]["/api/v1/articles/"]["get"])
    assert set(listed) == {*ArticleFilter.base_filters, "page", "page_size"}


@pytest.mark.parametrize("empty", ["", "%20"])
def test_every_query_parameter_refuses_an_empty_value(schema, world, editor, empty):
    client = token_client(editor)
    wrong = []
    for path, method, operation in _operations(schema):
        for name in _query_parameters(operation):
            response = _call(client, method, f"{_url(path, world)}?{name}={empty}")
            if response.status_code != 400 or list(response.json()["errors"]) != [name]:
                wrong.append((method.upper(), path, name, response.status_code))
    assert wrong == []


def test_an_empty_filter_among_good_ones_is_refused_not_carried_into_next(api, section):
    ArticleFactory.create_batch(3, published=True, section=section)

    refused = api.get("/api/v1/articles/?page_size=1&section=city&published_before=")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "published_before": ["Give a value or leave this parameter out."]
    }

    listed = api.get("/api/v1/articles/?page_size=1&section=city")
    assert listed.status_code == 200
    assert listed.json()["next"].endswith("/api/v1/articles/?page=2&page_size=1&section=city")


# -- Request bodies: strings are strings -----------------------------------------------------


def _resolve(schema, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _is_string(schema, node: dict) -> bool:
    node = _resolve(schema, node)
    types = node.get("type")
    types = types if isinstance(types, list) else [types]
    if "enum" in node and not node.get("type"):
        return all(isinstance(value, str) for value in node["enum"] if value is not None)
    return "string" in types


def _string_fields(schema, operation) -> list[tuple[str, bool]]:
    """(field, is a list of strings) for every field the request body gives as a string."""
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    fields = []
    for name, prop in _resolve(schema, body)["properties"].items():
        if prop.get("readOnly"):
            continue
        if _is_string(schema, prop):
            fields.append((name, False))
        elif prop.get("type") == "array" and _is_string(schema, prop["items"]):
            fields.append((name, True))
    return fields


def test_every_string_field_of_every_request_body_takes_only_a_string(schema, world, editor):
    client = token_client(editor)
    checked, wrong = 0, []
    for path, method, operation in _operations(schema):
        if "requestBody" not in operation:
            continue
        url = _url(path, world)
        for field, listed in _string_fields(schema, operation):
            values = [[0], [True]] if listed else [0, 12.5, True, ["text"], {"text": "x"}]
            for value in values:
                response = _call(client, method, url, {field: value})
                name = f"{field}.0" if listed else field
                errors = response.json().get("errors", {}) if response.status_code == 400 else {}
                if errors.get(name) != [NOT_A_STRING]:
                    wrong.append((method.upper(), path, field, value, response.status_code))
                checked += 1
    assert wrong == []
    assert checked > 200  # every write endpoint's strings: articles, comments, sign-ups ...


def test_a_comment_body_of_zero_is_refused_and_nothing_is_stored(api, published):
    url = f"/api/v1/articles/{published.pk}/comments/"
    response = api.post(url, _comment(published, body=0), format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"body": [NOT_A_STRING]}
    assert not published.comments.exists()


def test_a_section_named_by_a_number_is_refused_even_when_a_slug_spells_it(as_token, editor):
    from articles.tests.factories import SectionFactory

    SectionFactory(name="Five", slug="5")
    body = {"title": "Harbour", "body": "<p>x</p>", "section": 5}
    response = as_token(editor).post("/api/v1/articles/", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"section": [NOT_A_STRING]}


def test_a_newsletter_named_by_a_number_is_refused_as_not_a_string(api):
    response = api.post(
        "/api/v1/newsletter/subscribe/",
        {"email": "r@example.org", "lists": ["daily-digest", 7]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"lists.1": [NOT_A_STRING]}


# -- Methods ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?sort=1&page="])
def test_a_method_an_endpoint_does_not_have_is_a_405_whatever_the_query(
    schema, world, api, editor, query
):
    paths = {path: set(item) & set(METHODS) for path, item in schema["paths"].items()}
    paths.update({"/api/v1/": {"get"}, "/api/v1/schema/": {"get"}, "/api/v1/docs/": {"get"}})
    wrong = []
    for client in (api, token_client(editor)):
        for path, documented in paths.items():
            url = _url(path, world) + query
            for method in ("TRACE", "PUT", "DELETE", "CONNECT", *map(str.upper, METHODS)):
                if method.lower() in documented:
                    continue
                response = client.generic(method, url)
                allowed = response.get("Allow", "")
                if response.status_code != 405 or method in allowed.split(", "):
                    wrong.append((method, url, response.status_code, allowed))
    assert wrong == []


def test_the_guide_refuses_trace_with_a_query_too(api):
    assert api.generic("TRACE", "/api/v1/guide/?x=1").status_code == 405
