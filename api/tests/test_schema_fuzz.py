"""Schemathesis fuzzes every operation of the generated OpenAPI schema against the app (WSGI,
test database): no 5xx, and every response matches what the schema says, for a reader and for
an editor with a token. Bounded (a few examples per operation) so CI stays fast."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
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
    # As Django's test client does: a request must not close the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def fuzz(schema, headers: dict) -> int:
    """Run every operation's generated cases; return how many operations ran."""
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:

        @SETTINGS
        @given(case=operation.as_strategy())
        def run(case):
            # Uncompressed: the WSGI transport hands the checks the body as sent, undecoded.
            plain = {"Accept-Encoding": "identity", **headers}
            case.call_and_validate(headers=plain, checks=CHECKS)

        run()
    return len(operations)


@pytest.mark.slow
def test_api_matches_its_schema_for_readers(api_schema):
    assert fuzz(api_schema, {}) >= 20


@pytest.mark.slow
def test_api_matches_its_schema_for_an_editor_token(api_schema, editor):
    token = token_client(editor)._credentials["HTTP_AUTHORIZATION"]
    assert fuzz(api_schema, {"Authorization": token}) >= 20
