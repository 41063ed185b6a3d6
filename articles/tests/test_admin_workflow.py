"""The editorial workflow in the admin: buttons on the form, bulk actions per role, the
schedule page with overdue and late articles."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, WorkflowEvent
from articles.tests.admin_helpers import form_fields
from articles.tests.factories import ArticleFactory
from authors.tests.factories import UserFactory
from outbox.models import Sweep

pytestmark = pytest.mark.django_db

Status = Article.Status
LIST_URL = reverse("admin:articles_article_changelist")
SCHEDULE_URL = reverse("admin:articles_article_schedule")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def press(client, article, transition, **changes):
    """Press a workflow button on the change form, with the form as the browser has it."""
    data = form_fields(client.get(change_url(article)).content)
    data.update(changes)
    data["_transition"] = transition
    return client.post(change_url(article), data)


def run_action(client, action, articles, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [a.pk for a in articles], **extra}
    return client.post(LIST_URL, data, follow=True)


# ---------------------------------------------------------------------------
# Buttons on the change form
# ---------------------------------------------------------------------------
def test_reporter_sees_only_the_submit_button(client, reporter):
    article = ArticleFactory(created_by=reporter)
    client.force_login(reporter)
    response = client.get(change_url(article))
    assert 'value="submit"' in response.text
    assert 'value="publish"' not in response.text
    assert 'value="schedule"' not in response.text


def test_editor_sees_the_buttons_the_status_allows(client, editor):
    client.force_login(editor)
    draft = client.get(change_url(ArticleFactory())).text
    assert all(f'value="{name}"' in draft for name in ("submit", "publish", "schedule"))
    assert 'value="unpublish"' not in draft
    live = client.get(change_url(ArticleFactory(published=True))).text
    assert 'value="unpublish"' in live
    assert 'value="return_to_draft"' in live
    assert 'value="publish"' not in live


def test_reporter_saves_and_submits_for_review(client, reporter):
    article = ArticleFactory(created_by=reporter)
    client.force_login(reporter)
    response = press(client, article, "submit", title="Ready now", change_note="Please check")
    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    article.refresh_from_db()
    assert (article.status, article.title) == (Status.IN_REVIEW, "Ready now")
    event = WorkflowEvent.objects.get(article=article, action="submit")
    assert (event.actor, event.comment) == (reporter, "Please check")


def test_reporter_cannot_publish_by_posting_the_button(client, reporter):
    article = ArticleFactory(created_by=reporter)
    client.force_login(reporter)
    response = press(client, article, "publish", title="Published by a reporter?")
    assert response.status_code == 200
    assert "Only editors can publish articles." in response.text
    assert "Published by a reporter?" in response.text  # the input is kept
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.title != "Published by a reporter?"  # the save was undone with it


def test_reporter_cannot_schedule_or_unpublish_by_posting(client, reporter):
    article = ArticleFactory(created_by=reporter)
    client.force_login(reporter)
    when = timezone.localtime(timezone.now() + timedelta(hours=2))
    response = press(
        client,
        article,
        "schedule",
        schedule_at_0=when.strftime("%Y-%m-%d"),
        schedule_at_1=when.strftime("%H:%M"),
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_editor_publishes_from_the_form(client, editor):
    article = ArticleFactory(in_review=True)
    client.force_login(editor)
    response = press(client, article, "publish")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.published_at is not None


def test_editor_schedules_from_the_form_with_a_time(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    when = timezone.localtime(timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    response = press(
        client,
        article,
        "schedule",
        schedule_at_0=when.strftime("%Y-%m-%d"),
        schedule_at_1=when.strftime("%H:%M"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.SCHEDULED
    assert article.publish_at == when


def test_scheduling_without_a_time_or_in_the_past_is_a_form_error(client, editor):
    article = ArticleFactory(title="Untouched")
    client.force_login(editor)
    response = press(client, article, "schedule", title="Edited")
    assert response.status_code == 200
    assert "Choose when the article goes live." in response.text
    past = timezone.localtime(timezone.now() - timedelta(days=1))
    response = press(
        client,
        article,
        "schedule",
        schedule_at_0=past.strftime("%Y-%m-%d"),
        schedule_at_1=past.strftime("%H:%M"),
    )
    assert response.status_code == 200
    assert "Choose a time in the future to schedule." in response.text
    article.refresh_from_db()
    assert (article.status, article.title) == (Status.DRAFT, "Untouched")


def test_editor_unpublishes_and_returns_to_draft(client, editor):
    article = ArticleFactory(published=True)
    client.force_login(editor)
    assert press(client, article, "unpublish").status_code == 302
    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED
    assert press(client, article, "return_to_draft").status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_new_article_can_be_published_in_one_step(client, editor):
    from articles.tests.factories import SectionFactory

    section = SectionFactory()
    client.force_login(editor)
    url = reverse("admin:articles_article_add")
    data = form_fields(client.get(url).content)
    data.update({"title": "Breaking: bridge reopens", "section": str(section.pk)})
    data["_transition"] = "publish"
    assert client.post(url, data).status_code == 302
    assert Article.objects.get(title="Breaking: bridge reopens").status == Status.PUBLISHED


# ---------------------------------------------------------------------------
# Bulk actions
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("reporter", {"submit_selected"}),
        ("editor", {"submit_selected", "publish_selected", "schedule_selected",
                    "unpublish_selected", "return_selected_to_draft"}),
        ("admin", {"submit_selected", "publish_selected", "schedule_selected",
                   "unpublish_selected", "return_selected_to_draft"}),
        ("moderator", set()),
    ],
)  # fmt: skip
def test_each_role_gets_its_bulk_actions(client, role, offered):
    ArticleFactory(published=True)
    client.force_login(UserFactory(**{role: True}))
    page = client.get(LIST_URL).content.decode()
    found = set(re.findall(r'<option value="([a-z_]+_selected|return_selected_to_draft)"', page))
    assert found == offered


def test_administrator_publishes_in_bulk(client):
    draft = ArticleFactory()
    client.force_login(UserFactory(admin=True))
    run_action(client, "publish_selected", [draft])
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


def test_reporter_has_no_publishing_actions(client, reporter):
    article = ArticleFactory(created_by=reporter)
    client.force_login(reporter)
    page = client.get(LIST_URL).text
    assert 'value="submit_selected"' in page
    for action in ("publish_selected", "schedule_selected", "unpublish_selected"):
        assert f'value="{action}"' not in page
        run_action(client, action, [article])
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_reporter_bulk_submit_reports_articles_they_cannot_submit(client, reporter):
    own = ArticleFactory(created_by=reporter, title="Mine")
    published = ArticleFactory(published=True, title="Live one", authors=[reporter.author_profile])
    client.force_login(reporter)
    response = run_action(client, "submit_selected", [own, published])
    own.refresh_from_db()
    assert own.status == Status.IN_REVIEW
    text = response.content.decode()
    assert "1 article submitted for review." in text
    assert "“Live one”: Only draft articles can be submitted for review" in text


def test_bulk_publish_reports_each_failure(client, editor):
    drafts = [ArticleFactory(title=f"Draft {i}") for i in range(2)]
    live = ArticleFactory(published=True, title="Already live")
    client.force_login(editor)
    response = run_action(client, "publish_selected", [*drafts, live])
    assert {a.status for a in Article.objects.filter(pk__in=[d.pk for d in drafts])} == {
        Status.PUBLISHED
    }
    text = response.content.decode()
    assert "2 articles published." in text
    assert "“Already live”: Only draft, in review, scheduled, unpublished articles" in text


def test_bulk_unpublish_and_return_to_draft(client, editor):
    live = ArticleFactory(published=True)
    scheduled = ArticleFactory(scheduled=True)
    client.force_login(editor)
    run_action(client, "unpublish_selected", [live])
    run_action(client, "return_selected_to_draft", [scheduled])
    live.refresh_from_db()
    scheduled.refresh_from_db()
    assert live.status == Status.UNPUBLISHED
    assert (scheduled.status, scheduled.publish_at) == (Status.DRAFT, None)


def test_bulk_schedule_asks_for_the_time_first(client, editor):
    articles = [ArticleFactory(title=f"To schedule {i}") for i in range(2)]
    client.force_login(editor)
    page = run_action(client, "schedule_selected", articles)
    assert page.status_code == 200
    assert "Choose when these articles go live." in page.content.decode()
    assert all(a.refresh_from_db() or a.status == Status.DRAFT for a in articles)

    response = run_action(client, "schedule_selected", articles, apply="1", publish_at="bad")
    assert "Enter a valid date/time." in response.content.decode()

    when = timezone.localtime(timezone.now() + timedelta(hours=3)).replace(second=0, microsecond=0)
    response = run_action(
        client,
        "schedule_selected",
        articles,
        apply="1",
        publish_at=when.strftime("%Y-%m-%dT%H:%M"),
        comment="Weekend slot",
    )
    assert "2 articles scheduled." in response.content.decode()
    for article in articles:
        article.refresh_from_db()
        assert (article.status, article.publish_at) == (Status.SCHEDULED, when)


def test_delete_action_is_not_offered(client, editor):
    client.force_login(editor)
    assert 'value="delete_selected"' not in client.get(LIST_URL).text


# ---------------------------------------------------------------------------
# Overdue, late, and the schedule page
# ---------------------------------------------------------------------------
def test_overdue_scheduled_article_is_flagged_in_the_list_and_form(client, editor):
    overdue = ArticleFactory(
        scheduled=True, title="Stuck piece", publish_at=timezone.now() - timedelta(minutes=4)
    )
    ArticleFactory(scheduled=True, title="Due in a moment", publish_at=timezone.now())
    client.force_login(editor)
    page = client.get(LIST_URL).text
    assert page.count("nr-flag-overdue") == 1
    assert "overdue by 4 min" in page
    assert "overdue by 4 min" in client.get(change_url(overdue)).text
    filtered = client.get(LIST_URL, {"schedule": "overdue"}).text
    assert "Stuck piece" in filtered
    assert "Due in a moment" not in filtered


def test_late_publish_is_shown_as_minutes_late(client, editor):
    ArticleFactory(published=True, title="Late one", publish_delay=timedelta(minutes=4, seconds=5))
    ArticleFactory(published=True, title="On time", publish_delay=timedelta(seconds=1))
    client.force_login(editor)
    page = client.get(LIST_URL).text
    assert "published 4 min late" in page
    assert page.count("nr-flag-late") == 1
    assert "On time" not in client.get(LIST_URL, {"schedule": "late"}).text


def test_schedule_page_lists_overdue_upcoming_and_recently_late(client, editor):
    now = timezone.now()
    ArticleFactory(scheduled=True, title="Overdue piece", publish_at=now - timedelta(minutes=12))
    ArticleFactory(scheduled=True, title="Tonight's piece", publish_at=now + timedelta(hours=5))
    ArticleFactory(published=True, title="Late last night", publish_delay=timedelta(minutes=7))
    ArticleFactory(
        published=True,
        title="Late long ago",
        publish_delay=timedelta(minutes=7),
        published_at=now - timedelta(days=30),
    )
    Sweep.objects.create(
        name="articles.publish_due", completed_at=now - timedelta(minutes=10), duration=timedelta()
    )
    client.force_login(editor)
    page = client.get(SCHEDULE_URL).content.decode()
    assert "Overdue (1)" in page and "overdue" in page and "12 min" in page
    assert "Tonight&#x27;s piece" in page
    assert "Late last night" in page and "published 7 min late" in page
    assert "Late long ago" not in page
    assert "the worker or beat looks down" in page


def test_schedule_page_only_lists_what_the_user_may_see(client, reporter):
    ArticleFactory(scheduled=True, title="Embargoed", publish_at=timezone.now())
    client.force_login(reporter)
    page = client.get(SCHEDULE_URL)
    assert page.status_code == 200
    assert "Embargoed" not in page.content.decode()
