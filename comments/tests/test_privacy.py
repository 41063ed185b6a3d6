"""Retention purge and GDPR export / erasure (services and management commands)."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments import privacy, services
from comments.identities import email_hash
from comments.models import Ban, Comment, Flag, MailLog, ModerationAction, NotificationRecipient
from comments.tests.factories import CommentFactory, FlagFactory
from comments.tests.helpers import Purges

pytestmark = pytest.mark.django_db


def test_raw_ips_and_user_agents_are_purged_after_the_retention_period(settings):
    settings.COMMENTS_RETENTION_DAYS = 30
    old = CommentFactory(created_at=timezone.now() - timedelta(days=31))
    fresh = CommentFactory(created_at=timezone.now() - timedelta(days=29))
    old_flag = FlagFactory(created_at=timezone.now() - timedelta(days=31))
    assert privacy.personal_data_purge() == 2  # the old comment and the old report
    old.refresh_from_db()
    fresh.refresh_from_db()
    old_flag.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert old.ip_hash  # kept for bans and matching
    assert fresh.ip_address == "203.0.113.7" and fresh.user_agent
    assert old_flag.reporter_ip is None and old_flag.reporter_ip_hash
    assert privacy.personal_data_purge() == 0  # safe to run again


def test_export_holds_everything_about_an_address():
    comment = CommentFactory(author_email="ada@example.org", notify=True, body="My words")
    other = CommentFactory(author_email="bea@example.org")
    FlagFactory(comment=other, reporter_email="ada@example.org", text="Rude")
    NotificationRecipient.objects.create(email="ada@example.org", confirmed_at=timezone.now())
    MailLog.objects.create(key="k", kind="approved", recipient="ada@example.org", outcome="sent")
    data = privacy.commenter_export(actor=None, email=" ADA@example.org ")
    assert data["email"] == "ada@example.org"
    assert [c["id"] for c in data["comments"]] == [comment.pk]
    assert data["comments"][0]["body"] == "My words"
    assert data["comments"][0]["ip_address"] == "203.0.113.7"
    assert data["reports"][0]["text"] == "Rude"
    assert data["notifications"]["confirmed_at"]
    assert data["notifications"]["mails"][0]["kind"] == "approved"
    json.dumps(data)


def test_erasing_anonymises_comments_and_removes_every_trace(
    moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(author_email="ada@example.org", author_url="https://ada.example")
    FlagFactory(comment=CommentFactory(), reporter_email="ada@example.org")
    NotificationRecipient.objects.create(email="ada@example.org")
    MailLog.objects.create(key="k", kind="confirm", recipient="ada@example.org")
    services.ban_create(actor=moderator, kind="email", value="ada@example.org")
    purges = Purges()
    with django_capture_on_commit_callbacks(execute=True):
        result = privacy.commenter_erase(actor=moderator, email="ada@example.org", mode="anonymise")
    assert result == {"comments": 1, "reports": 1, "mode": "anonymise"}
    comment.refresh_from_db()
    assert (comment.author_name, comment.author_email, comment.author_url) == ("Anonymous", "", "")
    assert comment.ip_address is None and comment.user_agent == ""
    assert comment.body  # the words stay, anonymous
    assert not Flag.objects.filter(reporter_email="ada@example.org").exists()
    assert not NotificationRecipient.objects.exists() and not MailLog.objects.exists()
    ban = Ban.objects.get()
    assert ban.label == "(erased on request)"
    assert ban.value_hash == email_hash("ada@example.org")  # still keeps them out
    assert ModerationAction.objects.filter(action="erase", comment=comment).exists()
    assert f"comments:{comment.article_id}" in purges.new_keys()


def test_erasing_with_delete_keeps_other_peoples_replies():
    mine = CommentFactory(author_email="ada@example.org")
    reply = CommentFactory(article=mine.article, parent=mine, author_email="bea@example.org")
    result = privacy.commenter_erase(actor=None, email="ada@example.org", mode="delete")
    assert result["comments"] == 1
    assert not Comment.objects.filter(pk=mine.pk).exists()
    reply.refresh_from_db()
    assert (reply.parent_id, reply.depth) == (None, 0)
    assert ModerationAction.objects.filter(action="erase", comment=None).count() == 1


def test_only_those_allowed_may_export_or_erase(reporter):
    with pytest.raises(PermissionDenied):
        privacy.commenter_export(actor=reporter, email="ada@example.org")
    with pytest.raises(PermissionDenied):
        privacy.commenter_erase(actor=reporter, email="ada@example.org")


def test_the_export_command_writes_json(tmp_path, capsys):
    CommentFactory(author_email="ada@example.org", body="Hello")
    out = tmp_path / "ada.json"
    call_command("comments_export", "ada@example.org", "--output", str(out))
    assert json.loads(out.read_text())["comments"][0]["body"] == "Hello"
    call_command("comments_export", "ada@example.org")
    assert '"body": "Hello"' in capsys.readouterr().out


def test_the_erase_command_asks_first_and_erases(monkeypatch, capsys):
    CommentFactory(author_email="ada@example.org")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing erased"):
        call_command("comments_erase", "ada@example.org")
    assert Comment.objects.filter(author_email="ada@example.org").exists()
    call_command("comments_erase", "ada@example.org", "--yes", "--mode", "delete")
    assert "1 comment(s) deleted" in capsys.readouterr().out
    assert not Comment.objects.exists()


def test_the_commands_refuse_a_bad_address():
    with pytest.raises(CommandError, match="email address"):
        call_command("comments_export", "not an address")
