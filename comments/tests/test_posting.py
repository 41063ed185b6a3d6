"""comment_post: validation, closing, anti-spam rules, moderation policy and threading."""

from datetime import timedelta

import pytest
import requests
import responses
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.tests.factories import ArticleFactory
from comments import services
from comments.models import Ban, Comment, ModerationAction, ModerationPolicy, Reason, WordRule
from comments.tests.factories import CommentFactory, WordRuleFactory
from comments.tests.helpers import Purges, post_kwargs
from outbox.models import Event

pytestmark = pytest.mark.django_db


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------
def test_a_valid_comment_is_stored_pending_with_its_audit_entry(article):
    comment = services.comment_post(**post_kwargs(article, author_email="Ada@Example.ORG "))
    assert comment.status == Comment.Status.PENDING
    assert comment.reasons == [Reason.PREMODERATION]
    assert comment.author_email == "ada@example.org"
    assert comment.ip_address == "203.0.113.10"
    assert comment.ip_hash and "203.0.113.10" not in comment.ip_hash
    action = ModerationAction.objects.get(comment=comment)
    assert (action.action, action.actor, action.to_status, action.reason) == (
        "submit",
        None,
        "pending",
        "premoderation",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "", "Please enter your comment!"),
        ("body", " \u200b\u200b \n ", "Please enter your comment!"),
        ("body", "x" * 5001, "at most 5,000 characters (it has 5,001)"),
        ("body", "nul\x00byte", "not allowed"),
        ("body", "broken \ud800 surrogate", "not allowed"),
        ("author_name", "", "Please enter your name here."),
        ("author_name", "n" * 81, "at most 80 characters"),
        ("author_name", "Ada\r\nBcc: victim@example.org", "on one line"),
        ("author_name", "Ada\u202eevil", "on one line"),
        ("author_name", "Ada\x00", "not allowed"),
        ("author_email", "", "Please enter your email address"),
        ("author_email", "not-an-email", "Enter a valid email address."),
        ("author_email", "ada@example.org\r\nBcc: x@example.org", "Enter a valid email address."),
        ("author_url", "javascript:alert(1)", "Only http:// and https://"),
        ("author_url", "data:text/html,<script>alert(1)</script>", "Only http:// and https://"),
        ("author_url", "ftp://example.org", "Only http:// and https://"),
        ("author_url", "https://exa mple.org", "starting with http:// or https://"),
        ("author_url", "https://" + "a" * 200 + ".org", "at most 200 characters"),
    ],
)
def test_bad_fields_get_a_clear_message_and_nothing_is_stored(article, field, value, message):
    with pytest.raises(ValidationError) as exc_info:
        services.comment_post(**post_kwargs(article, **{field: value}))
    assert message in " ".join(errors_of(exc_info)[field])
    assert not Comment.objects.exists()


def test_every_bad_field_is_reported_at_once(article):
    with pytest.raises(ValidationError) as exc_info:
        services.comment_post(
            **post_kwargs(article, body="", author_name="", author_email="x", parent_id="abc")
        )
    assert set(errors_of(exc_info)) == {"body", "author_name", "author_email", "parent"}


def test_a_bare_domain_website_is_read_as_https(article):
    comment = services.comment_post(**post_kwargs(article, author_url="ada.example/about"))
    assert comment.author_url == "https://ada.example/about"


def test_length_is_counted_after_normalization(article):
    # 5,000 visible characters plus zero-width characters is within the limit.
    body = ("a\u200b" * 5000).strip()
    comment = services.comment_post(**post_kwargs(article, body=body))
    assert comment.body == body


def test_stored_text_keeps_emoji_and_scripts_but_not_controls(article):
    body = "\u6f22\u5b57 \U0001f44d\U0001f3fd \u0645\u0631\u062d\u0628\u0627\x07\u202e!"
    comment = services.comment_post(**post_kwargs(article, body=body, author_name="\u674e\u96f7"))
    comment.refresh_from_db()
    assert comment.body == "\u6f22\u5b57 \U0001f44d\U0001f3fd \u0645\u0631\u062d\u0628\u0627!"
    assert comment.author_name == "\u674e\u96f7"


# ---------------------------------------------------------------------------
# Closed articles
# ---------------------------------------------------------------------------
def test_an_article_with_comments_off_refuses_with_a_message():
    article = ArticleFactory(published=True, allow_comments=False)
    with pytest.raises(services.CommentsClosed, match=r"Comments are closed on this article\."):
        services.comment_post(**post_kwargs(article))


def test_an_article_older_than_the_auto_close_period_refuses(settings):
    settings.COMMENTS_AUTO_CLOSE_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    article = ArticleFactory(published=True, published_at=old, first_published_at=old)
    with pytest.raises(services.CommentsClosed, match="more than 30 days ago"):
        services.comment_post(**post_kwargs(article))
    settings.COMMENTS_AUTO_CLOSE_DAYS = 0
    assert services.comment_post(**post_kwargs(article)).pk


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled", "unpublished"])
def test_unpublished_articles_take_no_comments(state):
    article = ArticleFactory(**({state: True} if state != "draft" else {}))
    with pytest.raises(services.CommentsClosed):
        services.comment_post(**post_kwargs(article))


# ---------------------------------------------------------------------------
# Duplicates, bans, word lists, links, spam checker
# ---------------------------------------------------------------------------
def test_the_same_reader_posting_the_same_text_again_is_told_so(article):
    services.comment_post(**post_kwargs(article))
    with pytest.raises(ValidationError) as exc_info:
        services.comment_post(
            **post_kwargs(article, body="THE harbour plan\u200b ignores the fishermen.")
        )
    assert errors_of(exc_info)["body"] == ["You have already posted this comment."]
    assert Comment.objects.count() == 1


def test_the_same_text_from_someone_else_within_minutes_is_spam(article):
    services.comment_post(**post_kwargs(article))
    copy = services.comment_post(
        **post_kwargs(article, author_email="bot@example.net", ip="198.51.100.9")
    )
    assert (copy.status, copy.reasons) == ("spam", ["duplicate"])


def test_the_same_text_after_the_duplicate_window_is_fine(article):
    first = services.comment_post(**post_kwargs(article))
    Comment.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    again = services.comment_post(**post_kwargs(article, ip="198.51.100.9"))
    assert again.status == "pending"


def test_a_banned_email_is_kept_as_spam_without_telling_the_poster(article, moderator):
    services.ban_create(actor=moderator, kind=Ban.Kind.EMAIL, value="ADA@example.org")
    comment = services.comment_post(**post_kwargs(article))
    assert (comment.status, comment.reasons) == ("spam", ["banned"])


def test_a_banned_ipv6_network_covers_its_whole_slash_64(article, moderator):
    services.ban_create(actor=moderator, kind=Ban.Kind.IP, value="2001:db8:1:2::5")
    comment = services.comment_post(**post_kwargs(article, ip="2001:db8:1:2:ffff::1"))
    assert comment.status == "spam"
    other = services.comment_post(
        **post_kwargs(article, ip="2001:db8:1:3::1", author_email="b@example.org", body="Hi")
    )
    assert other.status == "pending"


def test_an_expired_ban_no_longer_applies(article, moderator):
    ban = services.ban_create(actor=moderator, kind=Ban.Kind.EMAIL, value="ada@example.org")
    Ban.objects.filter(pk=ban.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.comment_post(**post_kwargs(article)).status == "pending"


def test_banned_words_reject_as_spam_even_when_disguised(article):
    WordRuleFactory(phrase="casino", kind=WordRule.Kind.BANNED)
    comment = services.comment_post(**post_kwargs(article, body="Best C\u0430s\u200bINO in town"))
    assert (comment.status, comment.reasons) == ("spam", ["banned_word"])


def test_banned_words_in_the_name_count_too(article):
    WordRuleFactory(phrase="casino", kind=WordRule.Kind.BANNED)
    comment = services.comment_post(**post_kwargs(article, author_name="Casino Royale"))
    assert comment.status == "spam"


def test_suspect_words_hold_for_moderation_with_the_reason(article, settings):
    settings.COMMENTS_POST_MODERATION = True
    WordRuleFactory(phrase="idiot", kind=WordRule.Kind.SUSPECT)
    comment = services.comment_post(**post_kwargs(article, body="What an IDIOT plan."))
    assert (comment.status, comment.reasons) == ("pending", ["suspect_word"])


def test_more_than_two_links_are_held_and_never_auto_approved(article, settings):
    settings.COMMENTS_POST_MODERATION = True
    CommentFactory.create_batch(3, author_email="ada@example.org", article=article)
    comment = services.comment_post(
        **post_kwargs(article, body="https://a.example https://b.example www.c.example")
    )
    assert (comment.status, comment.reasons) == ("pending", ["link_limit"])
    two = services.comment_post(
        **post_kwargs(article, body="https://a.example and https://b.example")
    )
    assert two.status == "approved"


SPAM_CHECKER = "https://rest.akismet.example/1.1/comment-check"


@pytest.fixture
def spam_checker(settings):
    settings.COMMENTS_SPAM_CHECKER_URL = SPAM_CHECKER
    settings.COMMENTS_SPAM_CHECKER_KEY = "key-123"


@responses.activate
def test_the_spam_checker_verdict_spam_is_stored_as_spam(article, spam_checker):
    responses.post(SPAM_CHECKER, body="true")
    comment = services.comment_post(**post_kwargs(article))
    assert (comment.status, comment.reasons) == ("spam", ["spam_check"])
    sent = dict(pair.split("=", 1) for pair in responses.calls[0].request.body.split("&"))
    assert sent["api_key"] == "key-123"
    assert sent["user_ip"] == "203.0.113.10"
    assert sent["comment_type"] == "comment"


@responses.activate
def test_the_spam_checker_verdict_ham_leaves_the_normal_policy(article, spam_checker):
    responses.post(SPAM_CHECKER, body="false")
    assert services.comment_post(**post_kwargs(article)).status == "pending"


@responses.activate
@pytest.mark.parametrize(
    "reply", [{"status": 500}, {"body": "invalid"}, {"body": requests.ConnectionError()}]
)
def test_an_unavailable_spam_checker_holds_the_comment(article, spam_checker, settings, reply):
    settings.COMMENTS_POST_MODERATION = True
    CommentFactory.create_batch(2, author_email="ada@example.org", article=article)
    responses.post(SPAM_CHECKER, **reply)
    comment = services.comment_post(**post_kwargs(article))
    assert (comment.status, comment.reasons) == ("pending", ["spam_check_unavailable"])


def test_the_spam_checker_is_not_called_unless_configured(article):
    with responses.RequestsMock() as mocked:  # any request would fail the test
        services.comment_post(**post_kwargs(article))
        assert len(mocked.calls) == 0


# ---------------------------------------------------------------------------
# Moderation policy: pre-moderation by default, post-moderation for the trusted
# ---------------------------------------------------------------------------
def test_pre_moderation_holds_even_a_trusted_commenter(article):
    CommentFactory.create_batch(5, author_email="ada@example.org", article=article)
    comment = services.comment_post(**post_kwargs(article))
    assert (comment.status, comment.reasons) == ("pending", ["premoderation"])


def test_post_moderation_publishes_a_trusted_commenter_at_once(
    article, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_POST_MODERATION = True
    CommentFactory.create_batch(2, author_email="ada@example.org", article=article)
    purges = Purges()
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_post(**post_kwargs(article))
    assert (comment.status, comment.reasons) == ("approved", ["trusted"])
    assert f"comments:{article.pk}" in purges.new_keys()


def test_post_moderation_holds_a_new_commenter(article, settings):
    settings.COMMENTS_POST_MODERATION = True
    CommentFactory(author_email="ada@example.org", article=article)
    comment = services.comment_post(**post_kwargs(article))
    assert (comment.status, comment.reasons) == ("pending", ["new_commenter"])


def test_a_recent_rejection_takes_trust_away(article, settings):
    settings.COMMENTS_POST_MODERATION = True
    CommentFactory.create_batch(4, author_email="ada@example.org", article=article)
    CommentFactory(author_email="ada@example.org", article=article, rejected=True)
    assert services.comment_post(**post_kwargs(article)).status == "pending"


def test_a_section_can_switch_post_moderation_on_and_an_article_off_again(article):
    CommentFactory.create_batch(2, author_email="ada@example.org", article=article)
    ModerationPolicy.objects.create(section=article.section, mode="post")
    assert services.comment_post(**post_kwargs(article, body="One")).status == "approved"
    ModerationPolicy.objects.create(article=article, mode="pre")
    assert services.comment_post(**post_kwargs(article, body="Two")).status == "pending"


def test_staff_who_moderate_are_published_without_checks(article, moderator):
    comment = services.comment_post(**post_kwargs(article, user=moderator))
    assert (comment.status, comment.user) == ("approved", moderator)


# ---------------------------------------------------------------------------
# Surge guard
# ---------------------------------------------------------------------------
def test_a_surge_of_posts_switches_the_article_to_pre_moderation(
    article, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_POST_MODERATION = True
    settings.COMMENTS_SURGE_POSTS = 3
    settings.COMMENTS_RATE_LIMITS = ["100/60"]
    CommentFactory.create_batch(2, author_email="ada@example.org", article=article)
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            statuses.append(
                services.comment_post(**post_kwargs(article, body=f"Comment {n}")).status
            )
    assert statuses == ["approved"] * 3 + ["pending"] * 2
    assert sum("surge" in c.reasons for c in Comment.objects.all()) == 2
    policy = ModerationPolicy.objects.get(article=article)
    assert policy.surge_until > timezone.now() + timedelta(hours=5)
    alerts = Event.objects.filter(topic="comments.moderators_alert")
    assert [event.payload["kind"] for event in alerts] == ["surge"]  # moderators told once


# ---------------------------------------------------------------------------
# Threading
# ---------------------------------------------------------------------------
def test_replies_nest_up_to_the_depth_limit_then_join_the_last_level(article, settings):
    settings.COMMENTS_MAX_DEPTH = 3
    root = CommentFactory(article=article)
    reply = CommentFactory(article=article, parent=root)
    deep = CommentFactory(article=article, parent=reply)
    assert (reply.depth, deep.depth) == (1, 2)
    answer = services.comment_post(**post_kwargs(article, parent_id=deep.pk))
    assert (answer.parent_id, answer.in_reply_to_id, answer.depth) == (reply.pk, deep.pk, 2)
    shallow = services.comment_post(**post_kwargs(article, parent_id=root.pk, body="Other"))
    assert (shallow.parent_id, shallow.depth) == (root.pk, 1)


@pytest.mark.parametrize("state", ["pending", "rejected", "spam"])
def test_replying_to_a_comment_readers_cannot_see_is_refused(article, state):
    hidden = CommentFactory(article=article, **{state: True})
    with pytest.raises(ValidationError) as exc_info:
        services.comment_post(**post_kwargs(article, parent_id=hidden.pk))
    assert "was not found" in errors_of(exc_info)["parent"][0]


def test_replying_to_a_comment_on_another_article_is_refused(article):
    elsewhere = CommentFactory()
    with pytest.raises(ValidationError):
        services.comment_post(**post_kwargs(article, parent_id=elsewhere.pk))


@pytest.mark.parametrize("ip", ["unknown", "", None, "999.1.1.1", " 203.0.113.5 "])
def test_an_unusable_client_address_never_fails_a_post(article, ip):
    comment = services.comment_post(**post_kwargs(article, ip=ip))
    assert comment.ip_address == ("203.0.113.5" if ip and ip.strip() == "203.0.113.5" else None)
