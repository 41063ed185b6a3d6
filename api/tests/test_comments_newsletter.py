import time

import pytest

from articles.tests.factories import ArticleFactory
from comments.forms import form_stamp
from comments.models import Comment

pytestmark = pytest.mark.django_db


def comments_url(article) -> str:
    return f"/api/v1/articles/{article.pk}/comments/"


POST = {"author_name": "Sam", "author_email": "sam@example.org", "body": "Good news for cyclists."}


def comment_data(article, **fields) -> dict:
    """A comment as an API client without a token sends it: with the form's stamp, old enough."""
    return {**POST, "stamp": form_stamp(article.pk, time.time() - 60), **fields}


def approved(article, body: str, parent=None) -> Comment:
    return Comment.objects.create(
        article=article,
        parent=parent,
        depth=0 if parent is None else parent.depth + 1,
        author_name="Kim",
        author_email="kim@example.org",
        body=body,
        status=Comment.Status.APPROVED,
        content_hash=body,
    )


def test_comment_thread_shows_approved_comments_in_thread_order(api, published):
    first = approved(published, "First")
    second = approved(published, "Second")
    reply = approved(published, "Reply to first", parent=first)
    Comment.objects.create(
        article=published, author_name="X", author_email="x@example.org", body="Held",
        status=Comment.Status.PENDING, content_hash="h",
    )  # fmt: skip
    rows = api.get(comments_url(published)).json()["results"]
    assert [(r["id"], r["parent"], r["depth"]) for r in rows] == [
        (first.pk, None, 0),
        (reply.pk, first.pk, 1),
        (second.pk, None, 0),
    ]
    assert "author_email" not in rows[0]


def test_posting_a_comment_answers_its_id_and_status(api, published):
    response = api.post(comments_url(published), comment_data(published), format="json")
    assert response.status_code == 201, response.json()
    comment = Comment.objects.get(pk=response.json()["id"])
    assert response.json()["status"] == "pending" == comment.status
    assert comment.article == published


def test_comment_field_errors_are_400(api, published):
    response = api.post(
        comments_url(published),
        comment_data(published, author_name="", author_email="not-an-email", body="", parent=9999),
        format="json",
    )
    assert response.status_code == 400
    assert {"author_name", "author_email", "body"} <= set(response.json()["errors"])


def test_closed_comments_are_403(api, section):
    article = ArticleFactory(published=True, section=section, allow_comments=False)
    response = api.post(comments_url(article), comment_data(article), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Comments are closed on this article."


def test_no_comments_on_unpublished_articles(api, draft):
    assert api.post(comments_url(draft), comment_data(draft), format="json").status_code == 404
    assert api.get(comments_url(draft)).status_code == 404


@pytest.mark.redis
def test_comment_posts_are_rate_limited_with_retry_after(
    api, published, redis_required, settings, fresh_minute
):
    settings.COMMENTS_RATE_LIMITS = ((2, 60),)
    for i in range(2):
        body = comment_data(published, body=f"Comment number {i}")
        assert api.post(comments_url(published), body, format="json").status_code == 201
    third = comment_data(published, body="Third")
    response = api.post(comments_url(published), third, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert response.json()["errors"] == {}


def test_moderators_approve_and_the_comment_appears(
    as_token, moderator, api, published, django_capture_on_commit_callbacks
):
    posted = api.post(comments_url(published), comment_data(published), format="json")
    comment_id = posted.json()["id"]
    assert api.get(comments_url(published)).json()["count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = as_token(moderator).post(
            f"/api/v1/comments/{comment_id}/moderate/", {"action": "approve"}, format="json"
        )
    assert response.json() == {"id": comment_id, "status": "approved"}
    assert api.get(comments_url(published)).json()["count"] == 1


def test_moderation_action_must_be_known(as_token, moderator, published):
    comment = approved(published, "Hello")
    response = as_token(moderator).post(
        f"/api/v1/comments/{comment.pk}/moderate/", {"action": "delete"}, format="json"
    )
    assert response.status_code == 400
    assert "action" in response.json()["errors"]


def test_readers_report_a_comment(api, published):
    comment = approved(published, "Rude words")
    response = api.post(f"/api/v1/comments/{comment.pk}/flag/", {"reason": "abuse"}, format="json")
    assert response.status_code == 202
    assert comment.flags.count() == 1
    bad = api.post(f"/api/v1/comments/{comment.pk}/flag/", {"reason": "meh"}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()["errors"]


def test_subscribe_answers_202_whatever_the_address(api):
    from newsletter.models import Subscriber

    for _ in range(2):
        response = api.post(
            "/api/v1/newsletter/subscribe/", {"email": "Reader@Example.org"}, format="json"
        )
        assert response.status_code == 202
    subscriber = Subscriber.objects.get(email="reader@example.org")
    assert subscriber.consent_source == "api"
    assert [s.list.slug for s in subscriber.subscriptions.all()] == ["daily-digest"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"email": "not an email"}, "email"),
        ({"email": "a@example.org", "lists": ["no-such-list"]}, "lists.0"),
        ({"email": "a@example.org", "colour": "red"}, "colour"),
    ],
)
def test_subscribe_refuses_bad_input(api, body, field):
    response = api.post("/api/v1/newsletter/subscribe/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_sign_up_flood_from_one_address_is_429_with_retry_after(api, redis_required, settings):
    settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = 2
    answers = [
        api.post(
            "/api/v1/newsletter/subscribe/", {"email": f"victim{n}@example.org"}, format="json"
        )
        for n in range(4)
    ]

    assert [r.status_code for r in answers] == [202, 202, 429, 429]
    assert int(answers[2]["Retry-After"]) > 0
    assert "detail" in answers[2].json()
    from newsletter.models import Subscriber

    assert Subscriber.objects.count() == 2
