"""The permission matrix: every role x every workflow action -> allowed or refused, in the
service layer that the admin, the API and the worker all go through."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.services.corrections import correction_add, correction_delete
from articles.services.editing import article_create, article_update
from articles.services.previews import preview_link_create
from articles.services.workflow import (
    article_publish,
    article_return_to_draft,
    article_schedule,
    article_submit,
    article_unpublish,
)
from articles.tests.factories import ArticleFactory, CorrectionFactory
from authors.tests.factories import AuthorFactory, UserFactory
from core.errors import NotAllowed

pytestmark = pytest.mark.django_db

Status = Article.Status


def make_user(role):
    if role == "admin":
        return UserFactory(admin=True)
    if role == "inactive_editor":
        return UserFactory(editor=True, is_active=False)
    if role == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return UserFactory(groups=[role.capitalize()])


def own_draft(user):
    article = ArticleFactory(created_by=user if user.is_authenticated else None)
    return article


def in_future():
    return timezone.now() + timedelta(hours=1)


ACTIONS = {
    "create": lambda user, article: article_create(user=user, title="New", section=article.section),
    "edit own draft": lambda user, article: article_update(
        user=user, article=article, data={"title": "Edited"}, expected_version=None
    ),
    "edit others' draft": lambda user, _: article_update(
        user=user,
        article=ArticleFactory(created_by=UserFactory(reporter=True)),
        data={"title": "Edited"},
        expected_version=None,
    ),
    "edit published": lambda user, _: article_update(
        user=user,
        article=ArticleFactory(published=True, created_by=user if user.is_authenticated else None),
        data={"title": "Edited"},
        expected_version=None,
    ),
    "submit": lambda user, article: article_submit(user=user, article=article),
    "publish": lambda user, article: article_publish(user=user, article=article),
    "schedule": lambda user, article: article_schedule(
        user=user, article=article, publish_at=in_future()
    ),
    "unpublish": lambda user, _: article_unpublish(
        user=user, article=ArticleFactory(published=True)
    ),
    "return to draft": lambda user, _: article_return_to_draft(
        user=user, article=ArticleFactory(in_review=True)
    ),
    "add correction": lambda user, _: correction_add(
        user=user, article=ArticleFactory(published=True), kind="correction", text="Fixed."
    ),
    "delete correction": lambda user, _: correction_delete(
        user=user, correction=CorrectionFactory(), reason="Duplicate note"
    ),
    "share preview": lambda user, article: preview_link_create(user=user, article=article),
}

ALLOWED = {
    "admin": set(ACTIONS),
    "editor": set(ACTIONS),
    "reporter": {"create", "edit own draft", "submit", "share preview"},
    "moderator": set(),
    "inactive_editor": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(role, action):
    user = make_user(role)
    article = own_draft(user)
    if ALLOWED[role] >= {action}:
        ACTIONS[action](user, article)
    else:
        with pytest.raises(NotAllowed):
            ACTIONS[action](user, article)


def test_reporter_cannot_edit_an_in_review_article_of_someone_else():
    reporter = UserFactory(reporter=True)
    article = ArticleFactory(in_review=True, created_by=UserFactory(reporter=True))
    with pytest.raises(NotAllowed):
        article_update(user=reporter, article=article, data={"title": "x"}, expected_version=None)


def test_reporter_can_edit_own_in_review_but_not_scheduled_article():
    reporter = UserFactory(reporter=True)
    in_review = ArticleFactory(in_review=True, created_by=reporter)
    article_update(
        user=reporter, article=in_review, data={"title": "Tweaked"}, expected_version=None
    )
    scheduled = ArticleFactory(scheduled=True, created_by=reporter)
    with pytest.raises(NotAllowed):
        article_update(user=reporter, article=scheduled, data={"title": "x"}, expected_version=None)


def test_reporter_may_not_set_the_expiry_time():
    reporter = UserFactory(reporter=True)
    article = ArticleFactory(created_by=reporter)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        article_update(
            user=reporter,
            article=article,
            data={"unpublish_at": in_future()},
            expected_version=None,
        )


def test_byline_reporter_of_a_live_article_is_told_to_propose():
    reporter = UserFactory(reporter=True)
    article = ArticleFactory(published=True, authors=[AuthorFactory(user=reporter)])
    with pytest.raises(NotAllowed, match="propose"):
        article_update(user=reporter, article=article, data={"title": "x"}, expected_version=None)
