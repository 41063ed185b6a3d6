"""Fixtures for API tests: staff of every role, with tokens, and clients acting as them."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.tests.factories import ArticleFactory, SectionFactory
from authors.tests.factories import AuthorFactory


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def section():
    return SectionFactory(name="City", slug="city")


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def session_client(user) -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def as_token():
    return token_client


@pytest.fixture
def published(section):
    author = AuthorFactory(name="Ana Ruiz", slug="ana-ruiz")
    return ArticleFactory(
        published=True, section=section, authors=[author], tags=["Harbour"], title="Harbour"
    )


@pytest.fixture
def draft(section, reporter):
    article = ArticleFactory(section=section, created_by=reporter, title="Secret draft")
    article.tags.set(["Embargoed"])
    return article
