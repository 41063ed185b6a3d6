"""``GET /reader/state/``: what is one reader's own, for the page's script to put into a page
every reader shares (website/static/website/reader.js). Never stored anywhere: a fresh CSRF
token (its cookie is set with it), the name, email and website the reader asked this browser
to remember, and with ``?article=<id>`` a fresh form timestamp and the reader's own comments
on that article still awaiting moderation, rendered (escaped) by the template engine."""

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from comments import cookies
from comments.forms import form_stamp
from comments.selectors import comment_list_pending_for_reader
from edgecache import cache_private


def _article_id(raw: str) -> int | None:
    if raw and raw.isascii() and raw.isdigit() and len(raw) < 19:
        return int(raw)
    return None


@require_safe
def reader_state(request):
    data = {"csrf_token": get_token(request), "commenter": cookies.remembered(request) or None}
    article_id = _article_id(request.GET.get("article", ""))
    if article_id is not None:
        pending = comment_list_pending_for_reader(
            comment_ids=cookies.pending_ids(request), article_id=article_id
        )
        data["stamp"] = form_stamp(article_id)
        data["pending_html"] = (
            render_to_string("website/_pending_comments.html", {"comments": pending})
            if pending
            else ""
        )
    response = JsonResponse(data)
    response["X-Robots-Tag"] = "noindex"
    return cache_private(response)
