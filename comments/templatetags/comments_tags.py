"""The comments block of the article page: ``{% article_comments article %}``.

The block is part of the article page every reader shares, so it shows only what every reader
may see: the approved comments, their count and the form (without a CSRF token). One query
however many comments. The reader's own parts (the form's token, a fresh timestamp, their
waiting comments) are filled in by the site's script from ``/reader/state/``.
"""

from django import template

from ..forms import CommentForm, form_stamp
from ..rendering import CommentRenderer, render_comment
from ..selectors import comment_thread_for_article, comments_closed_reason

register = template.Library()


@register.inclusion_tag("comments/_comments.html", takes_context=True)
def article_comments(context, article):
    thread = comment_thread_for_article(article)
    closed_reason = comments_closed_reason(article)
    return {
        "article": article,
        "thread_html": CommentRenderer(closed=bool(closed_reason)).thread(thread.nodes)
        if thread.nodes
        else "",
        "count": thread.count,
        "closed_reason": closed_reason,
        "form": CommentForm(article_id=article.pk),
        "stamp": form_stamp(article.pk),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def comment_html(comment, actions: bool = False, status_label: str = ""):
    """One comment's markup, the same as in the thread (e.g. the comment being answered)."""
    return render_comment(comment, actions=actions, status_label=status_label)
