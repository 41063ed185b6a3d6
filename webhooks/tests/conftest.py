import pytest


@pytest.fixture(autouse=True)
def _no_dns_lookups(settings):
    """Receivers in these tests are mocked (responses) or local: skip the address check, which
    would resolve their names. Tests of the check turn it back on."""
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
