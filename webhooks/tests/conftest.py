import pytest

from articles.tests.factories import ArticleFactory, SectionFactory

from .dns import ConnectionGuard, FakeDNS


@pytest.fixture(autouse=True)
def _no_dns_lookups(settings):
    """Receivers in these tests are mocked (responses) or local: the address rule is off. Tests
    of the rule turn it back on; names are resolved by the ``dns`` fixture, never by real DNS."""
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True


@pytest.fixture
def dns(monkeypatch):
    """A stand-in for DNS: ``dns.add(name, [addresses], ...)``; other names do not resolve."""
    return FakeDNS(monkeypatch)


@pytest.fixture
def guard(monkeypatch):
    """Only loopback connections go through; every attempt is recorded."""
    return ConnectionGuard(monkeypatch)


@pytest.fixture
def article():
    """A draft in the City section."""
    return ArticleFactory(section=SectionFactory(slug="city"), title="Harbour plan")
