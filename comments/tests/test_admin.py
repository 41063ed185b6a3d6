"""Moderation in the admin: the queue, bulk decisions, edits, bans, GDPR actions, permissions."""

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from comments.models import Ban, Comment, ModerationAction, WordRule
from comments.tests.factories import CommentFactory, FlagFactory
from comments.tests.helpers import Purges

pytestmark = pytest.mark.django_db

QUEUE = "admin:comments_moderationqueue_changelist"
ALL = "admin:comments_comment_changelist"


def act(client, url_name, action, comments, **extra):
    return client.post(
        reverse(url_name),
        {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in comments], **extra},
    )


def test_the_queue_lists_pending_and_flagged_newest_first_with_history_and_reasons(
    client, moderator
):
    old = CommentFactory(pending=True, author_email="ada@example.org", reasons=["link_limit"])
    CommentFactory.create_batch(2, author_email="ada@example.org")
    CommentFactory(author_email="ada@example.org", rejected=True)
    flagged = CommentFactory(flagged_at=timezone.now(), reasons=["premoderation", "flagged"])
    published = CommentFactory(body="Quietly published")
    new = CommentFactory(pending=True, reasons=["suspect_word", "surge"])
    client.force_login(moderator)
    response = client.get(reverse(QUEUE))
    html = response.content.decode()
    assert response.status_code == 200
    rows = [c.pk for c in response.context["cl"].result_list]
    assert rows == [new.pk, flagged.pk, old.pk]
    assert published.body not in html
    assert "Too many links" in html and "Suspect word" in html and "Surge guard" in html
    assert "Flagged by readers" in html
    assert ">2 / 1 / 0</a>" in html  # ada: approved / rejected / spam
    assert old.article.title in html


def test_the_queue_costs_the_same_queries_for_few_or_many_comments(
    client, moderator, django_assert_max_num_queries
):
    client.force_login(moderator)
    CommentFactory.create_batch(3, pending=True)
    client.get(reverse(QUEUE))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(QUEUE))
    for n in range(30):
        FlagFactory(comment=CommentFactory(pending=True, author_email=f"p{n}@example.org"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(QUEUE))


def test_bulk_approve_with_a_note_publishes_and_logs(
    client, moderator, django_capture_on_commit_callbacks
):
    comments = CommentFactory.create_batch(2, pending=True)
    purges = Purges()
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, QUEUE, "approve", comments, note="Checked the facts")
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    logs = ModerationAction.objects.filter(action="approve")
    assert [(log.actor, log.note) for log in logs] == [(moderator, "Checked the facts")] * 2
    assert f"comments:{comments[0].article_id}" in purges.new_keys()


@pytest.mark.parametrize(("action", "status"), [("reject", "rejected"), ("mark_spam", "spam")])
def test_bulk_reject_and_spam(client, editor, action, status):
    comments = CommentFactory.create_batch(3, pending=True)
    client.force_login(editor)
    act(client, ALL, action, comments)
    assert set(Comment.objects.values_list("status", flat=True)) == {status}


@pytest.mark.parametrize(("action", "kind"), [("ban_email", "email"), ("ban_ip", "ip")])
def test_bulk_ban_blocks_future_posts_and_marks_spam(client, moderator, action, kind):
    comment = CommentFactory(pending=True, author_email="troll@example.org")
    client.force_login(moderator)
    act(client, QUEUE, action, [comment])
    comment.refresh_from_db()
    assert comment.status == "spam"
    assert Ban.objects.get().kind == kind


def test_a_reporter_cannot_see_the_queue_or_moderate(client, reporter):
    comment = CommentFactory(pending=True)
    client.force_login(reporter)
    assert client.get(reverse(QUEUE)).status_code == 403
    assert act(client, QUEUE, "approve", [comment]).status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_moderators_cannot_delete_but_editors_can(client, moderator, editor):
    comment = CommentFactory()
    delete = reverse("admin:comments_comment_delete", args=[comment.pk])
    client.force_login(moderator)
    assert client.get(delete).status_code == 403
    client.force_login(editor)
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Comment.objects.exists()


def test_deleting_an_approved_comment_refreshes_the_article_page(
    client, editor, django_capture_on_commit_callbacks
):
    comment = CommentFactory()
    purges = Purges()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:comments_comment_delete", args=[comment.pk]), {"post": "yes"})
    assert f"comments:{comment.article_id}" in purges.new_keys()


def change_data(comment, **overrides):
    data = {
        "author_name": comment.author_name,
        "author_url": comment.author_url,
        "body": comment.body,
        "note": "",
        "flags-TOTAL_FORMS": "0",
        "flags-INITIAL_FORMS": "0",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_a_moderator_edits_a_comment_through_the_service(client, moderator):
    comment = CommentFactory(body="Call me on 555-0100")
    client.force_login(moderator)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Save and approve" in page.content.decode()
    response = client.post(
        url, change_data(comment, body="Call me on [removed]", note="Phone number")
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Call me on [removed]" and comment.edited_at
    assert ModerationAction.objects.get(action="edit").note == "Phone number"


def test_an_admin_edit_gets_the_posting_rules_messages(client, moderator):
    comment = CommentFactory()
    client.force_login(moderator)
    response = client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        change_data(comment, author_url="javascript:alert(1)", body="x\x00"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Only http:// and https:// web addresses are allowed." in html
    assert "not allowed" in html
    comment.refresh_from_db()
    assert comment.author_url == ""


def test_save_and_approve_from_the_change_form(client, moderator):
    comment = CommentFactory(pending=True)
    client.force_login(moderator)
    client.post(
        reverse("admin:comments_moderationqueue_change", args=[comment.pk]),
        change_data(comment, _approve="Save and approve"),
    )
    comment.refresh_from_db()
    assert comment.status == "approved" and comment.moderated_by == moderator


def test_export_action_downloads_the_commenters_data(client, moderator):
    comment = CommentFactory(author_email="ada@example.org", body="Mine")
    client.force_login(moderator)
    response = act(client, ALL, "export_commenter", [comment])
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["comments"][0]["body"] == "Mine"


def test_erase_action_asks_for_confirmation_then_erases(client, moderator):
    comment = CommentFactory(author_email="ada@example.org")
    client.force_login(moderator)
    page = act(client, ALL, "erase_commenter", [comment])
    assert "ada@example.org (1 comment)" in page.content.decode()
    comment.refresh_from_db()
    assert comment.author_email == "ada@example.org"
    act(client, ALL, "erase_commenter", [comment], confirm="yes", mode="anonymise")
    comment.refresh_from_db()
    assert (comment.author_name, comment.author_email) == ("Anonymous", "")


def test_a_moderator_adds_a_ban_and_a_word_rule(client, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("admin:comments_ban_add"), {"kind": "ip", "value": "2001:db8::1", "note": "Flood"}
    )
    assert response.status_code == 302
    assert Ban.objects.get().label == "2001:db8::/48"
    response = client.post(
        reverse("admin:comments_ban_add"), {"kind": "email", "value": "not an email"}
    )
    assert "Enter a valid email address." in response.content.decode()
    client.post(reverse("admin:comments_wordrule_add"), {"phrase": "C\u0430SINO", "kind": "banned"})
    rule = WordRule.objects.get()
    assert (rule.normalized, rule.created_by) == ("casino", moderator)
