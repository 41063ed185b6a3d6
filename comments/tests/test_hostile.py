"""The hostile corpus through every write path the comments app owns: the service the API
calls, the article page's form, and the admin's edit form. Each input is either refused with
a clear error on its field, or stored and shown inert on the article page, in the admin and in
notification mail."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments import text as comment_text
from comments.mail import comment_notifications_send
from comments.models import Comment, NotificationRecipient
from comments.purges import comments_key
from comments.tests.factories import CommentFactory
from comments.tests.helpers import form_data, post_kwargs
from comments.tests.hostile import CORPUS, EDITABLE_IN_ADMIN, audit, form_encoded
from edgecache.store import store

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"


def test_the_corpus_is_large_and_covers_every_field():
    assert len(CORPUS) >= 40
    assert {case.field for case in CORPUS} == {"body", "author_name", "author_email", "author_url"}
    assert len({case.id for case in CORPUS}) == len(CORPUS)


@pytest.fixture
def parent(article):
    """An approved comment whose author confirmed reply notifications."""
    NotificationRecipient.objects.create(email="bea@example.org", confirmed_at=timezone.now())
    return CommentFactory(article=article, author_email="bea@example.org", notify=True)


def nospace(value: str) -> str:
    return "".join(value.split())


def assert_inert(html: str, *values: str) -> "list[str]":
    auditor = audit(html, *values)
    assert auditor.problems == []
    return auditor.text


def assert_shown_inert_everywhere(client, moderator, comment: Comment, case) -> None:
    Comment.objects.filter(pk=comment.pk).update(
        status="approved", moderated_by=moderator, moderated_at=timezone.now()
    )
    store.bump([comments_key(comment.article_id)])  # approved directly, not by the service
    comment.refresh_from_db()
    stored = getattr(comment, case.field)

    # The article page.
    html = client.get(comment.article.get_absolute_url()).content.decode()
    page_text = nospace("".join(assert_inert(html, stored)))
    if case.field in ("body", "author_name"):
        assert nospace(stored) in page_text
    if case.field == "author_email":
        assert stored not in html and nospace(stored) not in page_text
    if case.field == "author_url":
        anchors = [a for a in audit_links(html) if a == stored]
        assert anchors, "the website is linked as it was stored"

    # The admin: the queue's list and the comment's page.
    client.force_login(moderator)
    listing = client.get(reverse("admin:comments_comment_changelist"))
    listing_text = nospace("".join(assert_inert(listing.content.decode(), stored)))
    if case.field in ("author_name", "author_email"):
        assert nospace(stored) in listing_text
    if case.field == "body":
        assert nospace(" ".join(stored.split())[:100]) in listing_text
    detail = client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert_inert(detail.content.decode(), stored)
    client.logout()

    # Notification mail: plain text, one-line headers, no links from the comment.
    mail.outbox = []
    comment_notifications_send(comment_id=comment.pk)
    (message,) = mail.outbox
    assert message.content_subtype == "plain"
    assert "\n" not in message.subject and "\r" not in message.subject
    if case.field == "body":
        assert nospace(comment_text.remove_links(stored)) in nospace(message.body)
    if case.field == "author_name":
        assert nospace(stored) in nospace(message.body)
    if case.field == "author_url":
        assert stored not in message.body


def audit_links(html: str) -> list[str]:
    from html.parser import HTMLParser

    hrefs = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "a":
                hrefs.append(dict(attrs).get("href"))

    Links(convert_charrefs=True).feed(html)
    return hrefs


@pytest.mark.parametrize("case", CORPUS, ids=str)
def test_hostile_input_through_the_service(case, article, parent, client, moderator):
    kwargs = post_kwargs(article, parent_id=parent.pk, **{case.field: case.value})
    if case.outcome == "reject":
        with pytest.raises(ValidationError) as exc_info:
            services.comment_post(**kwargs)
        assert exc_info.value.message_dict[case.field][0]
        assert Comment.objects.count() == 1
        return
    comment = services.comment_post(**kwargs)
    assert_shown_inert_everywhere(client, moderator, comment, case)


@pytest.mark.parametrize("case", CORPUS, ids=str)
def test_hostile_input_through_the_form(case, article, parent, client, moderator):
    response = client.post(
        reverse("comments:post", args=[article.pk]),
        form_encoded(form_data(article, parent=str(parent.pk), **{case.field: case.value})),
        content_type=FORM,
    )
    if (case.http_outcome or case.outcome) == "reject":
        assert response.status_code == 400
        assert response.context["form"].errors[case.field]
        assert_inert(response.content.decode(), case.value)  # echoed back into the form
        assert Comment.objects.count() == 1
        return
    assert response.status_code == 303
    waiting = client.get(response["Location"])  # the author's own view while it waits
    assert_inert(waiting.content.decode(), case.value)
    comment = Comment.objects.exclude(pk=parent.pk).get()
    assert_shown_inert_everywhere(client, moderator, comment, case)


@pytest.mark.parametrize("case", [c for c in CORPUS if c.field in EDITABLE_IN_ADMIN], ids=str)
def test_hostile_input_through_the_admin_edit(case, article, parent, client, moderator):
    comment = CommentFactory(article=article, parent=parent, author_email="ada@example.org")
    before = getattr(comment, case.field)
    data = {
        "author_name": comment.author_name,
        "author_url": comment.author_url,
        "body": comment.body,
        "note": "",
        "flags-TOTAL_FORMS": "0",
        "flags-INITIAL_FORMS": "0",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
        case.field: case.value,
    }
    client.force_login(moderator)
    response = client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        form_encoded(data),
        content_type=FORM,
    )
    if (case.http_outcome or case.outcome) == "reject":
        assert response.status_code == 200
        assert response.context["adminform"].form.errors[case.field]
        assert_inert(response.content.decode(), case.value)
        comment.refresh_from_db()
        assert getattr(comment, case.field) == before
        return
    assert response.status_code == 302
    client.logout()
    comment.refresh_from_db()
    assert_shown_inert_everywhere(client, moderator, comment, case)
