"""article_save: the one save the admin's form and the API make (create or edit, expiry, new
correction notes, one workflow step), all or nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article
from articles.services.saving import article_save
from articles.tests.factories import ArticleFactory, SectionFactory
from core.errors import NotAllowed

pytestmark = pytest.mark.django_db

Status = Article.Status


def test_an_editor_creates_a_draft_with_an_expiry_and_schedules_it_in_one_save(editor):
    expires, goes_live = timezone.now() + timedelta(days=7), timezone.now() + timedelta(hours=2)
    article = article_save(
        user=editor,
        article=None,
        data={"title": "Ferry timetable", "section": SectionFactory(), "unpublish_at": expires},
        step="schedule",
        publish_at=goes_live,
    )
    article.refresh_from_db()
    assert (article.status, article.unpublish_at, article.publish_at) == (
        Status.SCHEDULED,
        expires,
        goes_live,
    )


def test_a_reporter_may_not_set_an_expiry_and_nothing_is_created(reporter):
    with pytest.raises(ValidationError) as refused:
        article_save(
            user=reporter,
            article=None,
            data={
                "title": "Ferry timetable",
                "section": SectionFactory(),
                "unpublish_at": timezone.now() + timedelta(days=1),
            },
        )
    assert "unpublish_at" in refused.value.message_dict
    assert not Article.objects.exists()


def test_a_refused_step_undoes_the_edit_it_came_with(reporter):
    article = ArticleFactory(created_by=reporter, title="Ferry timetable")
    with pytest.raises(NotAllowed):
        article_save(
            user=reporter,
            article=article,
            data={"title": "Ferry timetable changes"},
            expected_version=article.version,
            step="publish",
        )
    article.refresh_from_db()
    assert (article.title, article.status) == ("Ferry timetable", Status.DRAFT)


def test_an_editor_adds_a_note_and_publishes_in_one_save(editor):
    article = ArticleFactory(created_by=editor, in_review=True)
    saved = article_save(
        user=editor,
        article=article,
        data={},
        expected_version=article.version,
        corrections=[{"kind": "update", "text": "Times confirmed by the operator."}],
        step="publish",
    )
    assert saved.status == Status.PUBLISHED
    assert [c.text for c in saved.corrections.all()] == ["Times confirmed by the operator."]


@pytest.mark.parametrize(
    ("step", "message"),
    [("teleport", "Unknown workflow step"), ("schedule", "Choose when the article goes live")],
)
def test_an_unknown_step_or_a_schedule_without_a_time_is_refused(editor, step, message):
    article = ArticleFactory(created_by=editor, title="Ferry timetable")
    with pytest.raises(ValidationError) as refused:
        article_save(
            user=editor,
            article=article,
            data={"title": "Changed"},
            expected_version=article.version,
            step=step,
        )
    assert message in " ".join(refused.value.messages)
    article.refresh_from_db()
    assert article.title == "Ferry timetable"
