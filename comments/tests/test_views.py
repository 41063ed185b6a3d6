"""The reader endpoints: the form POST and the way back to the article, reply, report, mail
links."""

import json
import re
import time
from urllib.parse import unquote

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from articles.tests.factories import ArticleFactory
from comments import services
from comments.forms import STAMP_SALT, form_stamp
from comments.mail import confirm_token, unsubscribe_token
from comments.models import Comment, Flag, NotificationRecipient
from comments.tests.factories import CommentFactory
from comments.tests.helpers import form_data

pytestmark = pytest.mark.django_db


def post_url(article) -> str:
    return reverse("comments:post", args=[article.pk])


def state(client, article) -> dict:
    """What the page's script gets for this browser on ``article`` (/reader/state/)."""
    response = client.get(f"/reader/state/?article={article.pk}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return response.json()


def test_posting_stores_a_pending_comment_and_shows_it_to_its_author_only(client, article):
    CommentFactory(article=article, pending=True, body="Someone else's waiting comment")
    response = client.post(post_url(article), form_data(article))
    assert response.status_code == 303
    comment = Comment.objects.get(author_email="ada@example.org")
    assert comment.status == "pending"
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    cookie = response.cookies["newsroom_pending"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"

    mine = state(client, article)["pending_html"]
    assert "Your comment is awaiting moderation." in mine
    assert "The harbour plan ignores the fishermen." in mine
    assert f'id="comment-{comment.pk}"' in mine
    assert "Someone else" not in mine
    # Another browser, and the page everyone shares, never show it.
    assert state(Client(), article)["pending_html"] == ""
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "ignores the fishermen" not in page.content.decode()


def test_the_shared_article_page_never_carries_a_waiting_comment(client, article):
    client.post(post_url(article), form_data(article))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "awaiting moderation" not in html
    assert "ignores the fishermen" not in html
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "ignores the fishermen" not in html
    # The cookie names this article's comment: it shows nothing on another article.
    other = ArticleFactory(published=True)
    assert state(client, other)["pending_html"] == ""


def test_there_is_no_shareable_link_to_a_waiting_comment(client, article):
    response = client.post(post_url(article), form_data(article))
    assert "?comment=" not in response["Location"]
    html = Client().get(f"{article.get_absolute_url()}?comment=anything").content.decode()
    assert "ignores the fishermen" not in html


@pytest.mark.parametrize("decision", ["approve", "reject", "spam", "delete"])
def test_a_comment_no_longer_pending_is_never_shown_as_waiting(
    client, article, moderator, django_capture_on_commit_callbacks, decision
):
    client.get(article.get_absolute_url())  # cache the page before the decision
    client.post(post_url(article), form_data(article))
    comment = Comment.objects.get()
    assert "ignores the fishermen" in state(client, article)["pending_html"]
    with django_capture_on_commit_callbacks(execute=True):
        if decision == "delete":
            comment.delete()
        else:
            services.comment_moderate(actor=moderator, comment=comment, action=decision)
    assert state(client, article)["pending_html"] == ""
    html = client.get(article.get_absolute_url()).content.decode()  # the reader reloads
    assert "awaiting moderation" not in html
    if decision == "approve":
        assert f'<li class="comment comment--depth-0" id="comment-{comment.pk}">' in html
        assert "ignores the fishermen" in html
        assert "1 Comment" in html
    else:
        assert "ignores the fishermen" not in html


@pytest.mark.parametrize("cookie", ["nonsense", "WzFd:1abc:forged", "x" * 5000])
def test_a_bad_pending_cookie_shows_nothing(client, article, cookie):
    waiting = CommentFactory(article=article, pending=True, body="Waiting words")
    client.cookies["newsroom_pending"] = cookie
    assert state(client, article)["pending_html"] == ""
    forged = signing.dumps([waiting.pk], salt="forged")
    client.cookies["newsroom_pending"] = forged
    assert state(client, article)["pending_html"] == ""


def test_field_errors_come_back_on_the_form_with_what_was_typed(client, article):
    response = client.post(
        post_url(article),
        form_data(article, author_email="nope", body="<b>My words</b> stay", author_name=""),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid email address." in html
    assert "Please enter your name here." in html
    assert "&lt;b&gt;My words&lt;/b&gt; stay" in html
    assert "<b>My words</b>" not in html
    assert not Comment.objects.exists()


def _headings(html: str) -> list[tuple[int, str]]:
    return [
        (int(level), re.sub(r"<[^>]+>", "", text).strip())
        for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html, re.S)
    ]


@pytest.mark.parametrize(
    ("overrides", "status"),
    [({"author_email": "nope"}, 400), ({"homepage": "http://spam.example"}, 400)],
)
def test_the_page_of_a_refused_comment_says_so_in_its_one_h1(client, article, overrides, status):
    response = client.post(post_url(article), form_data(article, **overrides))
    assert response.status_code == status
    headings = _headings(response.content.decode())
    assert [text for level, text in headings if level == 1] == ["Your comment was not posted"]
    # No level skipped below it: the form's own heading is an h2 here.
    assert (2, "Leave a comment") in headings and not any(level > 2 for level, _ in headings)


def test_a_closed_article_s_refusal_and_the_reply_page_have_an_h1(client, article):
    closed = ArticleFactory(published=True, allow_comments=False)
    refused = client.post(post_url(closed), form_data(closed))
    assert refused.status_code == 403
    assert (1, "Your comment was not posted") in _headings(refused.content.decode())
    parent = CommentFactory(article=article, author_name="Ben")
    reply = client.get(reverse("comments:reply", args=[parent.pk])).content.decode()
    assert [text for level, text in _headings(reply) if level == 1] == ["Reply"]


def test_a_filled_honeypot_is_refused(client, article):
    response = client.post(post_url(article), form_data(article, homepage="http://spam.example"))
    assert response.status_code == 400
    assert "Please leave the last field empty" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("stamp", "message"),
    [
        ("", "could not be verified"),
        ("forged:stamp", "could not be verified"),
        ("now", "quicker than anyone can type"),
        ("last-month", "This form has expired"),
        ("other-article", "could not be verified"),
    ],
)
def test_the_signed_timestamp_catches_bots_and_stale_forms(client, article, stamp, message):
    other = ArticleFactory(published=True)
    value = {
        "now": form_stamp(article.pk),
        "last-month": form_stamp(article.pk, now=time.time() - 30 * 86400),
        "other-article": form_stamp(other.pk, now=time.time() - 60),
    }.get(stamp, stamp)
    response = client.post(post_url(article), form_data(article, stamp=value))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert not Comment.objects.exists()
    # The page hands out a fresh stamp: sending again a little later works.
    fresh = signing.loads(
        re.search(r'name="stamp" value="([^"]+)"', html).group(1), salt=STAMP_SALT
    )
    assert fresh["a"] == article.pk and time.time() - fresh["t"] < 5
    later = form_stamp(article.pk, now=time.time() - 10)
    assert client.post(post_url(article), form_data(article, stamp=later)).status_code == 303


def test_a_closed_article_answers_403_with_the_reason(client):
    article = ArticleFactory(published=True, allow_comments=False)
    response = client.post(post_url(article), form_data(article))
    assert response.status_code == 403
    assert "Comments are closed on this article." in response.content.decode()


@pytest.mark.redis
def test_too_many_posts_answer_429_with_retry_after(client, article, redis_required, fresh_minute):
    for n in range(5):
        response = client.post(post_url(article), form_data(article, body=f"Point {n}"))
        assert response.status_code == 303
    response = client.post(post_url(article), form_data(article, body="Point 6"))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 61
    assert "posting too quickly" in response.content.decode()
    assert Comment.objects.count() == 5


def test_an_oversized_request_is_refused_before_it_is_read(client, article, settings):
    settings.COMMENTS_MAX_REQUEST_BYTES = 10_000
    response = client.post(post_url(article), form_data(article, body="x" * 20_000))
    assert response.status_code == 413
    assert "far too long" in response.content.decode()


def test_the_post_endpoint_only_takes_posts(client, article):
    assert client.get(post_url(article)).status_code == 405


@pytest.mark.parametrize("state", ["draft", "scheduled", "unpublished"])
def test_posting_to_an_unpublished_article_is_a_404(client, state):
    article = ArticleFactory(**({state: True} if state != "draft" else {}))
    assert client.post(post_url(article), form_data(article)).status_code == 404


def test_csrf_is_enforced_and_the_shared_page_carries_no_token(article):
    Client().get(article.get_absolute_url())  # another reader fills the origin cache
    reader = Client(enforce_csrf_checks=True)
    html = reader.get(article.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" not in html
    token = reader.get("/reader/state/").json()["csrf_token"]
    response = reader.post(post_url(article), {**form_data(article), "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    forged = Client(enforce_csrf_checks=True)
    forged.get("/reader/state/")
    response = forged.post(post_url(article), {**form_data(article), "csrfmiddlewaretoken": token})
    assert response.status_code == 403
    assert Comment.objects.count() == 1


def test_remember_me_keeps_details_in_the_readers_browser_only(client, article):
    response = client.post(
        post_url(article), form_data(article, remember="on", author_url="https://ada.example")
    )
    saved = json.loads(unquote(response.cookies["newsroom_commenter"].value))
    assert saved == {
        "author_name": "Ada Reader",
        "author_email": "ada@example.org",
        "author_url": "https://ada.example",
    }
    assert response.cookies["newsroom_commenter"]["samesite"] == "Lax"
    assert response.cookies["newsroom_commenter"]["httponly"]
    page = client.get(article.get_absolute_url()).content.decode()
    assert "ada@example.org" not in page  # the shared page never holds anyone's details
    assert state(client, article)["commenter"]["author_email"] == "ada@example.org"
    assert state(Client(), article)["commenter"] is None
    reply = client.get(reverse("comments:reply", args=[CommentFactory(article=article).pk]))
    assert 'value="ada@example.org"' in reply.content.decode()  # an uncached page may

    response = client.post(post_url(article), form_data(article, body="Without remembering"))
    assert response.cookies["newsroom_commenter"].value == ""  # forgotten


def test_the_reply_page_carries_the_parent(client, article):
    parent = CommentFactory(article=article, author_name="Bea <Critic>")
    response = client.get(reverse("comments:reply", args=[parent.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="parent" value="{parent.pk}"' in html
    assert "Reply to <bdi>Bea &lt;Critic&gt;</bdi>" in html
    response = client.post(post_url(article), form_data(article, parent=str(parent.pk)))
    assert Comment.objects.get(author_email="ada@example.org").parent == parent


@pytest.mark.parametrize("state", ["pending", "rejected", "spam"])
def test_hidden_comments_have_no_reply_or_report_page(client, state):
    hidden = CommentFactory(**{state: True})
    assert client.get(reverse("comments:reply", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("comments:report", args=[hidden.pk])).status_code == 404


def test_reporting_a_comment(client, article):
    comment = CommentFactory(article=article)
    url = reverse("comments:report", args=[comment.pk])
    assert "Why are you reporting this comment?" in client.get(url).content.decode()
    response = client.post(url, {"reason": "abuse", "text": "Insults another reader"})
    assert response.status_code == 200
    assert "Thank you for your report" in response.content.decode()
    flag = Flag.objects.get()
    assert (flag.reason, flag.text, flag.reporter_ip) == (
        "abuse",
        "Insults another reader",
        "127.0.0.1",
    )


def test_a_report_without_a_reason_is_a_400(client):
    comment = CommentFactory()
    response = client.post(reverse("comments:report", args=[comment.pk]), {"reason": "bogus"})
    assert response.status_code == 400
    assert not Flag.objects.exists()


def test_confirming_notifications_needs_a_post(client):
    url = reverse("comments:notify-confirm", args=[confirm_token("ada@example.org")])
    page = client.get(url)
    assert "Yes, send me comment notifications" in page.content.decode()
    assert not NotificationRecipient.objects.filter(confirmed_at__isnull=False).exists()
    client.post(url)
    assert NotificationRecipient.objects.get(email="ada@example.org").confirmed_at is not None


def test_a_forged_confirmation_link_is_refused(client):
    token = confirm_token("ada@example.org")[:-2] + "xx"
    response = client.post(reverse("comments:notify-confirm", args=[token]))
    assert response.status_code == 400
    assert not NotificationRecipient.objects.exists()


def test_one_click_unsubscribe_works_without_a_csrf_token():
    comment = CommentFactory(author_email="ada@example.org", notify=True)
    client = Client(enforce_csrf_checks=True)
    url = reverse("comments:unsubscribe", args=[unsubscribe_token("ada@example.org")])
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NotificationRecipient.objects.get(email="ada@example.org").unsubscribed_at
    comment.refresh_from_db()
    assert comment.notify is False


def test_the_client_address_comes_from_a_trusted_proxy_only(client, article, settings):
    headers = {"HTTP_X_FORWARDED_FOR": "192.0.2.50, 198.51.100.2"}
    client.post(post_url(article), form_data(article, body="One"), **headers)
    assert Comment.objects.get(body="One").ip_address == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(post_url(article), form_data(article, body="Two"), **headers)
    assert Comment.objects.get(body="Two").ip_address == "198.51.100.2"
