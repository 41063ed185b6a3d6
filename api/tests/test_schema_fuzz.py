"""Schemathesis fuzzes every operation of the generated OpenAPI schema against the app (WSGI,
test database): no 5xx, and every response matches what the schema says, for a reader and for
an editor with a token. Bounded (a few examples per operation) so CI stays fast."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from articles.tests.factories import ArticleFactory
from comments.models import Comment

from .conftest import token_client

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 12

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(db, settings, section, editor, reporter):
    from newsroom.wsgi import application

    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # Fuzzing sends hundreds of requests a minute: the rates are tested elsewhere.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    published = ArticleFactory(published=True, section=section, tags=["Harbour"])
    ArticleFactory(section=section, created_by=reporter)
    Comment.objects.create(
        article=published,
        author_name="Kim",
        author_email="kim@example.org",
        body="First",
        status=Comment.Status.APPROVED,
        content_hash="k",
    )
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.slow
@schema.parametrize()
@SETTINGS
def test_api_matches_its_schema_for_readers(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.slow
@schema.parametrize()
@SETTINGS
def test_api_matches_its_schema_for_an_editor_token(case, editor):
    token = token_client(editor)._credentials["HTTP_AUTHORIZATION"]
    case.call_and_validate(headers={"Authorization": token}, checks=CHECKS)
