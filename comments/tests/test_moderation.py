"""Moderating, reporting, editing and banning through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from authors.tests.factories import UserFactory
from comments import services
from comments.models import Ban, Comment, Flag, ModerationAction, ModerationPolicy
from comments.tests.factories import CommentFactory, FlagFactory
from comments.tests.helpers import Purges
from outbox.models import Event

pytestmark = pytest.mark.django_db


class Queued:
    """The comments' side effects recorded in the outbox, as (topic, payload) in order (the
    worker itself is tested end to end)."""

    def _rows(self):
        return [
            (event.topic, event.payload)
            for event in Event.objects.filter(topic__startswith="comments.").order_by("pk")
        ]

    def __eq__(self, other):
        return self._rows() == other

    def __iter__(self):
        return iter(self._rows())

    def __getitem__(self, index):
        return self._rows()[index]


@pytest.fixture
def queued():
    return Queued()


@pytest.mark.parametrize("role", ["moderator", "editor"])
def test_moderators_and_editors_moderate(role, request):
    actor = request.getfixturevalue(role)
    comment = CommentFactory(pending=True)
    services.comment_moderate(actor=actor, comment=comment, action="approve")
    comment.refresh_from_db()
    assert comment.status == "approved"


@pytest.mark.parametrize("who", ["reporter", "plain staff", "inactive moderator", "nobody"])
def test_only_moderators_and_editors_moderate(who, reporter):
    actor = {
        "reporter": reporter,
        "plain staff": UserFactory(username="staff"),
        "inactive moderator": UserFactory(username="gone", moderator=True, is_active=False),
        "nobody": None,
    }[who]
    comment = CommentFactory(pending=True)
    with pytest.raises(PermissionDenied, match="Only moderators and editors"):
        services.comment_moderate(actor=actor, comment=comment, action="approve")
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert not ModerationAction.objects.filter(action="approve").exists()


def test_approving_publishes_logs_bumps_the_page_and_queues_notifications(
    moderator, queued, django_capture_on_commit_callbacks
):
    comment = CommentFactory(pending=True)
    purges = Purges()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(
            actor=moderator, comment=comment, action="approve", note="fine\x00 by me"
        )
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by, comment.reason) == (
        "approved",
        moderator,
        "manual",
    )
    assert comment.moderated_at is not None
    assert f"comments:{comment.article_id}" in purges.new_keys()
    log = ModerationAction.objects.get(action="approve")
    assert (log.actor, log.from_status, log.to_status, log.note) == (
        moderator,
        "pending",
        "approved",
        "fine by me",
    )
    assert queued == [("comments.notify", {"comment_id": comment.pk})]


def test_rejecting_an_approved_comment_removes_it_from_the_page(
    moderator, queued, django_capture_on_commit_callbacks
):
    comment = CommentFactory()
    purges = Purges()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(actor=moderator, comment=comment, action="reject")
    assert f"comments:{comment.article_id}" in purges.new_keys()
    assert queued == []


def test_deciding_between_hidden_states_leaves_the_page_cache_alone(
    moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(pending=True)
    purges = Purges()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(actor=moderator, comment=comment, action="spam")
    assert f"comments:{comment.article_id}" not in purges.new_keys()


def test_repeating_a_decision_changes_nothing(moderator, queued):
    comment = CommentFactory(pending=True)
    services.comment_moderate(actor=moderator, comment=comment, action="reject")
    services.comment_moderate(actor=moderator, comment=comment, action="reject")
    assert ModerationAction.objects.filter(action="reject").count() == 1


def test_an_unknown_action_is_refused(moderator):
    with pytest.raises(ValidationError):
        services.comment_moderate(actor=moderator, comment=CommentFactory(), action="delete")


def test_bulk_moderation_counts_what_changed(moderator, queued):
    comments = [CommentFactory(pending=True), CommentFactory(pending=True), CommentFactory()]
    changed = services.comments_moderate(actor=moderator, comments=comments, action="approve")
    assert changed == 2
    assert Comment.objects.approved().count() == 3


# ---------------------------------------------------------------------------
# Reader reports
# ---------------------------------------------------------------------------
def test_the_third_report_flags_the_comment_keeps_it_visible_and_alerts(
    queued, django_capture_on_commit_callbacks
):
    comment = CommentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            services.comment_flag(comment=comment, reason="abuse", ip=f"198.51.100.{n + 1}")
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert comment.flagged_at is not None
    assert "flagged" in comment.reasons
    assert Comment.objects.in_queue().filter(pk=comment.pk).exists()
    assert ModerationAction.objects.filter(comment=comment, action="flag").count() == 1
    assert [name for name, _ in queued] == ["comments.moderators_alert"]
    assert queued[0][1]["kind"] == "flagged"


def test_one_reader_reporting_again_counts_once(queued):
    comment = CommentFactory()
    first = services.comment_flag(comment=comment, reason="abuse", ip="198.51.100.1")
    for _ in range(4):
        again = services.comment_flag(comment=comment, reason="spam", ip="198.51.100.1")
    assert again == first
    assert comment.flags.count() == 1
    comment.refresh_from_db()
    assert comment.flagged_at is None


def test_approving_a_flagged_comment_keeps_it_and_clears_the_flag(moderator, queued):
    comment = CommentFactory(flagged_at=timezone.now())
    FlagFactory.create_batch(3, comment=comment)
    services.comment_moderate(actor=moderator, comment=comment, action="approve")
    comment.refresh_from_db()
    assert (comment.status, comment.flagged_at) == ("approved", None)
    assert not Comment.objects.in_queue().exists()


@pytest.mark.parametrize("state", ["pending", "rejected", "spam"])
def test_only_published_comments_can_be_reported(state):
    with pytest.raises(ValidationError):
        services.comment_flag(
            comment=CommentFactory(**{state: True}), reason="abuse", ip="198.51.100.1"
        )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reason", "because", "Choose why"),
        ("text", "x" * 501, "at most 500"),
        ("text", "nul\x00", "not allowed"),
        ("reporter_email", "nope", "valid email"),
    ],
)
def test_bad_reports_get_field_messages(field, value, message):
    kwargs = {"reason": "abuse", "text": "", "reporter_email": "", field: value}
    with pytest.raises(ValidationError) as exc_info:
        services.comment_flag(comment=CommentFactory(), ip="198.51.100.1", **kwargs)
    assert message in exc_info.value.message_dict[field][0]
    assert not Flag.objects.exists()


def test_a_surge_of_reports_pre_moderates_the_article(settings, queued):
    settings.COMMENTS_SURGE_FLAGS = 2
    settings.COMMENTS_FLAG_THRESHOLD = 100
    comment = CommentFactory()
    for n in range(3):
        services.comment_flag(comment=comment, reason="abuse", ip=f"198.51.100.{n + 1}")
    policy = ModerationPolicy.objects.get(article=comment.article)
    assert policy.surge_until > timezone.now()


# ---------------------------------------------------------------------------
# Edits and bans
# ---------------------------------------------------------------------------
def test_a_moderator_edit_is_validated_logged_and_bumps_the_page(
    moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(body="Call me on 555-0100", author_url="")
    purges = Purges()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_edit(
            actor=moderator,
            comment=comment,
            author_name=comment.author_name,
            author_url="",
            body="Call me on [number removed]",
            note="Removed a phone number",
        )
    comment.refresh_from_db()
    assert comment.body == "Call me on [number removed]"
    assert comment.edited_at is not None
    assert ModerationAction.objects.get(action="edit").note == "Removed a phone number"
    assert f"comments:{comment.article_id}" in purges.new_keys()


def test_a_moderator_edit_follows_the_posting_rules(moderator):
    comment = CommentFactory()
    with pytest.raises(ValidationError) as exc_info:
        services.comment_edit(
            actor=moderator,
            comment=comment,
            author_name="x\r\ny",
            author_url="javascript:alert(1)",
            body="",
        )
    assert set(exc_info.value.message_dict) == {"author_name", "author_url", "body"}


def test_a_reporter_cannot_edit_comments(reporter):
    with pytest.raises(PermissionDenied):
        services.comment_edit(
            actor=reporter, comment=CommentFactory(), author_name="A", author_url="", body="B"
        )


def test_banning_an_author_blocks_the_address_and_marks_the_comment_spam(moderator, queued):
    comment = CommentFactory(pending=True, author_email="troll@example.org")
    ban = services.comment_ban_author(actor=moderator, comment=comment, kind="email")
    comment.refresh_from_db()
    assert comment.status == "spam"
    assert ban.label == "troll@example.org"
    assert "troll@example.org" not in ban.value_hash
    assert ModerationAction.objects.filter(action="ban_email", actor=moderator).exists()


def test_an_ip_ban_shows_only_the_network(moderator, queued):
    comment = CommentFactory(pending=True, ip_address="203.0.113.77")
    ban = services.comment_ban_author(actor=moderator, comment=comment, kind="ip")
    assert ban.label == "203.0.113.0/24"
    assert "203.0.113.77" not in ban.label


def test_an_ip_ban_still_works_after_the_raw_ip_was_purged(moderator, queued):
    comment = CommentFactory(pending=True, ip_address="203.0.113.77")
    Comment.objects.filter(pk=comment.pk).update(ip_address=None)
    comment.refresh_from_db()
    ban = services.comment_ban_author(actor=moderator, comment=comment, kind="ip")
    assert ban.value_hash == comment.ip_hash


@pytest.mark.parametrize(
    ("kind", "value", "field"),
    [("email", "not-an-email", "value"), ("ip", "300.1.1.1", "value"), ("phone", "1", "kind")],
)
def test_bad_bans_are_refused(moderator, kind, value, field):
    with pytest.raises(ValidationError) as exc_info:
        services.ban_create(actor=moderator, kind=kind, value=value)
    assert field in exc_info.value.message_dict
    assert not Ban.objects.exists()
