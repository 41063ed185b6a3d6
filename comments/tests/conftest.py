import pytest
from django.core import mail

from articles.tests.factories import ArticleFactory
from authors.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _comment_defaults(settings):
    """Mail stays in memory unless a test points it at a real SMTP sink; spam checker off."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.COMMENTS_SPAM_CHECKER_URL = ""
    settings.COMMENTS_SPAM_CHECKER_KEY = ""
    settings.COMMENTS_POST_MODERATION = False
    settings.COMMENTS_MODERATOR_EMAILS = []
    settings.SITE_URL = "https://news.example.org"
    # Staff accounts are made in almost every test; a slow password hash buys nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    mail.outbox = []


@pytest.fixture
def article(db):
    return ArticleFactory(published=True, title="Council approves harbour plan")


@pytest.fixture
def moderator(db):
    return UserFactory(username="moira", email="moira@newsroom.example", moderator=True)


@pytest.fixture
def editor(db):
    return UserFactory(username="eddie", email="eddie@newsroom.example", editor=True)


@pytest.fixture
def reporter(db):
    return UserFactory(username="rita", email="rita@newsroom.example", reporter=True)
