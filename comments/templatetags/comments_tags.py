"""The comments block of the article page: ``{% article_comments article %}``.

The block is part of the cached, shared article page, so it shows only what every reader may
see: the approved comments, their count and the form. One query however many comments.
"""

from django import template

from ..forms import CommentForm, form_stamp
from ..selectors import comment_thread_for_article, comments_closed_reason
from ..text import render_body, safe_author_link

register = template.Library()


@register.inclusion_tag("comments/_comments.html", takes_context=True)
def article_comments(context, article):
    thread = comment_thread_for_article(article)
    request = context.get("request")
    # Set only by the uncached /comments/posted/<token>/ view, for the reader who posted it.
    pending = getattr(request, "comment_pending", None)
    if pending is not None and pending.article_id != article.pk:
        pending = None
    return {
        "article": article,
        "nodes": thread.nodes,
        "count": thread.count,
        "pending": pending,
        "closed_reason": comments_closed_reason(article),
        "form": CommentForm(article_id=article.pk),
        "stamp": form_stamp(article.pk),
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.filter(is_safe=True)
def comment_markup(body: str):
    """Plain comment text as paragraphs with safe links; everything else escaped."""
    return render_body(body or "")


@register.simple_tag
def comment_author_link(comment) -> str:
    return safe_author_link(comment.author_name, comment.author_url)
