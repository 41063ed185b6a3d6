"""Comment changes purge the comments of their article's page, and nothing else."""

import pytest

from articles.tests.factories import ArticleFactory
from comments import services
from comments.privacy import commenter_erase
from comments.tests.factories import CommentFactory
from comments.tests.helpers import post_kwargs
from edgecache.services import TOPIC
from outbox.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def purges():
    seen = set(Event.objects.values_list("pk", flat=True))

    def new() -> list[list[str]]:
        events = Event.objects.filter(topic=TOPIC).exclude(pk__in=seen).order_by("pk")
        seen.update(event.pk for event in events)
        # A section the factories make for the article purges the section lists and the 404s.
        made = {"nav", "notfound", "list:sections"}
        return [event.payload["keys"] for event in events if not set(event.payload["keys"]) <= made]

    return new


def test_approving_and_removing_a_comment_purges_its_article_comments(moderator, purges):
    comment = CommentFactory(pending=True)
    services.comment_moderate(actor=moderator, comment=comment, action="approve")
    assert purges() == [[f"comments:{comment.article_id}"]]
    services.comment_moderate(actor=moderator, comment=comment, action="reject")
    assert purges() == [[f"comments:{comment.article_id}"]]
    # Rejecting what no reader saw changes no page.
    services.comment_moderate(actor=moderator, comment=comment, action="spam")
    assert purges() == []


def test_editing_a_shown_comment_purges_and_a_pending_one_does_not(moderator, purges):
    shown, waiting = CommentFactory(), CommentFactory(pending=True)
    for comment in (shown, waiting):
        services.comment_edit(
            actor=moderator,
            comment=comment,
            author_name="Ada",
            author_url="",
            body="Edited by a moderator.",
        )
    assert purges() == [[f"comments:{shown.article_id}"]]


def test_a_comment_approved_on_posting_purges(settings, purges):
    settings.COMMENTS_POST_MODERATION = True
    article = ArticleFactory(published=True)
    CommentFactory.create_batch(3, author_email="ada@example.org", article=article)
    purges()
    comment = services.comment_post(**post_kwargs(article))
    assert comment.status == "approved"
    assert purges() == [[f"comments:{article.pk}"]]


def test_deleting_and_erasing_comments_purge_their_articles(editor, purges):
    deleted = CommentFactory()
    deleted.delete()
    assert purges() == [[f"comments:{deleted.article_id}"]]
    first = CommentFactory(author_email="ada@example.org")
    second = CommentFactory(author_email="ada@example.org")
    commenter_erase(actor=editor, email="ada@example.org", mode="anonymise")
    assert sorted(purges()) == sorted(
        [[f"comments:{first.article_id}"], [f"comments:{second.article_id}"]]
    )
