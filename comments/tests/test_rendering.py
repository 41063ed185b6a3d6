"""The comments block on the article page: threading, escaping, closing, constant queries."""

import re

import pytest
from django.core import signing
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.tests.factories import ArticleFactory
from comments import text
from comments.forms import STAMP_SALT
from comments.models import Comment
from comments.tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def render_block(article, **context) -> str:
    template = Template("{% load comments_tags %}{% article_comments article %}")
    request = RequestFactory().get(article.get_absolute_url())
    return template.render(
        Context({"article": article, "request": request, "csrf_token": "TOKEN", **context})
    )


def bulk_thread(article, count: int) -> None:
    """``count`` approved comments: every fourth a top-level comment, the rest replies."""
    Comment.objects.bulk_create(
        Comment(
            article=article,
            author_name=f"Reader {n}",
            author_email=f"r{n}@example.org",
            body=f"Comment number {n} https://example.org/{n}",
            status="approved",
            content_hash=text.content_hash(f"c{n}"),
        )
        for n in range(count)
    )
    comments = list(Comment.objects.filter(article=article).order_by("id"))
    for n, comment in enumerate(comments):
        if n % 4:
            parent = comments[n - 1]
            comment.parent_id = parent.pk if parent.depth < 2 else parent.parent_id
            comment.depth = min(parent.depth + 1, 2)
    Comment.objects.bulk_update(comments, ["parent_id", "depth"])


def test_threads_nest_replies_under_their_parents(article):
    root = CommentFactory(article=article, body="Root")
    reply = CommentFactory(article=article, parent=root, body="Reply")
    CommentFactory(article=article, parent=reply, body="Deep")
    CommentFactory(article=article, body="Second root")
    html = render_block(article)
    assert "4 Comments" in html
    ids = re.findall(r'<li class="comment comment--depth-(\d)" id="comment-(\d+)">', html)
    assert [int(depth) for depth, _ in ids] == [0, 1, 2, 0]
    # The replies sit inside the first comment's item, before the second top-level one.
    first = html[html.index(f'id="comment-{root.pk}"') : html.index("Second root")]
    assert '<ol class="comment-replies">' in first
    assert f'id="comment-{reply.pk}"' in first and "Deep" in first
    # Every list opened is closed, in order.
    tags = re.findall(r"</?(?:ol|li)\b", html)
    depth = 0
    for tag in tags:
        depth += -1 if tag.startswith("</") else 1
        assert depth >= 0
    assert depth == 0


def test_only_approved_comments_are_shown(article):
    CommentFactory(article=article, body="Visible words")
    for state in ("pending", "rejected", "spam"):
        CommentFactory(article=article, body=f"Hidden {state} words", **{state: True})
    html = render_block(article)
    assert "Visible words" in html
    assert "Hidden" not in html
    assert "1 Comment" in html


def test_a_reply_whose_parent_was_removed_stays_readable(article):
    parent = CommentFactory(article=article, body="Parent")
    CommentFactory(article=article, parent=parent, body="Orphan reply")
    Comment.objects.filter(pk=parent.pk).update(status="rejected")
    html = render_block(article)
    assert "Orphan reply" in html
    assert "comment--depth-0" in html


def test_names_and_text_are_escaped_and_links_marked_ugc(article):
    CommentFactory(
        article=article,
        author_name='<img src=x onerror="alert(1)">',
        author_url="https://ada.example",
        body="<script>alert('x')</script>\n\nSee https://example.org/report",
    )
    html = render_block(article)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert '<a href="https://ada.example" rel="ugc nofollow noopener">&lt;img' in html
    assert (
        '<a href="https://example.org/report" rel="ugc nofollow noopener">'
        "https://example.org/report</a>"
    ) in html


def test_a_stored_website_that_is_not_http_is_never_linked(article):
    CommentFactory(article=article, author_name="Ada", author_url="javascript:alert(1)")
    html = render_block(article)
    assert "javascript:" not in html


def test_a_closed_article_shows_comments_but_no_form_or_reply_links(article):
    closed = ArticleFactory(published=True, allow_comments=False)
    CommentFactory(article=closed, body="Earlier words")
    html = render_block(closed)
    assert "Earlier words" in html
    assert "Comments are closed on this article." in html
    assert "<form" not in html
    assert "comment__reply" not in html
    assert "comment__report" in html


def test_the_block_has_the_form_with_csrf_stamp_and_honeypot(article):
    html = render_block(article)
    assert 'name="csrfmiddlewaretoken" value="TOKEN"' in html
    assert 'name="stamp" value="' in html
    assert re.search(r'<p class="comment-form__hp" hidden aria-hidden="true">', html)
    for placeholder in ("Please enter your comment!", "Please enter your name here"):
        assert placeholder in html
    assert "No comments yet" in html


def test_the_block_holds_no_reader_specific_values(article):
    """The block is shared by every reader: no token, nobody's waiting comment, only a place
    for the page's script to put the reader's own, and a timestamp it replaces."""
    CommentFactory(article=article, pending=True, body="Waiting words")
    html = render_block(article, csrf_token="")
    assert "Waiting words" not in html
    assert "csrfmiddlewaretoken" not in html
    assert f'data-pending-comments data-article="{article.pk}" hidden' in html
    stamp = re.search(r'name="stamp" value="([^"]+)"', html).group(1)
    assert signing.loads(stamp, salt=STAMP_SALT)["a"] == article.pk


@pytest.mark.parametrize("count", [1, 500])
def test_the_block_costs_one_query_however_many_comments(article, count, django_assert_num_queries):
    bulk_thread(article, count)
    with django_assert_num_queries(1):
        html = render_block(article)
    assert html.count('class="comment comment--depth-') == count


def test_the_article_page_query_count_does_not_grow_with_comments(client, settings):
    settings.EDGECACHE_ORIGIN_CACHE = False  # every request renders
    warm, small, large = ArticleFactory.create_batch(3, published=True)
    bulk_thread(small, 1)
    bulk_thread(large, 500)
    client.get(warm.get_absolute_url())  # the site's navigation and settings, read once
    counts = []
    for article in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(article.get_absolute_url())  # a cache miss: full render
        assert response.status_code == 200
        counts.append(len(queries))
    # The page and its fragments; the count is the same for 1 comment and 500.
    assert counts[0] == counts[1] <= 15
    assert "500 Comments" in response.content.decode()


def test_a_comment_alone_is_marked_up_as_in_its_thread(article):
    """The page answering a comment and the report page show it with the thread's markup
    (one template), and the pending notice with its status instead of the links."""
    comment = CommentFactory(
        article=article, author_name="Ada & <Bo>", body="Hi\n\nhttps://a.example/x"
    )
    thread = render_block(article)
    alone = Template("{% load comments_tags %}{% comment_html comment True %}").render(
        Context({"comment": comment})
    )
    assert alone.startswith('<article class="comment__body"') and alone in thread
    assert "Ada &amp; &lt;Bo&gt;" in alone
    waiting = Template(
        "{% load comments_tags %}{% comment_html comment False 'Awaiting' %}"
    ).render(Context({"comment": comment}))
    assert '<span class="comment__status">Awaiting</span>' in waiting
    assert "comment__report" not in waiting
