"""Comment markup, rendered by the template engine from templates/comments/: _thread.html (an
article's comments as nested lists), _comment.html (one comment) and _body.html (its text). The
engine escapes every reader-written value; nothing here is marked safe. What the templates
cannot decide is decided here, once: whether the author's website may be linked from their
name, and how the text splits into paragraphs and links (comments.text)."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import Comment
from .text import Piece, body_paragraphs, safe_author_link

THREAD_TEMPLATE = "comments/_thread.html"
COMMENT_TEMPLATE = "comments/_comment.html"


@dataclass(frozen=True)
class CommentView:
    """What templates/comments/_comment.html shows of a comment."""

    comment: Comment
    author_link: str
    paragraphs: list[list[list[Piece]]]

    @classmethod
    def of(cls, comment: Comment) -> "CommentView":
        return cls(
            comment=comment,
            author_link=safe_author_link(comment.author_name, comment.author_url),
            paragraphs=body_paragraphs(comment.body or ""),
        )


class CommentRenderer:
    def __init__(self, *, closed: bool = False):
        self.closed = closed

    def comment(self, comment, *, actions: bool = True, status_label: str = "") -> SafeString:
        """One comment as an <article>: author (linked only to a safe website), time, text,
        and the Reply / Report links."""
        context = {
            "view": CommentView.of(comment),
            "actions": actions,
            "status_label": status_label,
            "closed": self.closed,
        }
        return render_to_string(COMMENT_TEMPLATE, context)

    def thread(self, nodes) -> SafeString:
        """The flattened tree from selectors.comment_thread_for_article as nested lists."""
        items = [(node, CommentView.of(node.comment)) for node in nodes]
        return render_to_string(THREAD_TEMPLATE, {"items": items, "closed": self.closed})


def render_comment(comment, **options) -> SafeString:
    return CommentRenderer().comment(comment, **options)
