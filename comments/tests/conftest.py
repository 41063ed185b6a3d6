import pytest
from django.core import mail

from articles.tests.factories import ArticleFactory


@pytest.fixture(autouse=True)
def _comment_defaults(settings):
    """Mail stays in memory unless a test points it at a real SMTP sink; spam checker off."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.COMMENTS_SPAM_CHECKER_URL = ""
    settings.COMMENTS_SPAM_CHECKER_KEY = ""
    settings.COMMENTS_POST_MODERATION = False
    settings.COMMENTS_MODERATOR_EMAILS = []
    settings.SITE_URL = "https://news.example.org"
    mail.outbox = []


@pytest.fixture
def article(db):
    return ArticleFactory(published=True, title="Council approves harbour plan")
