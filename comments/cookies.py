"""What a reader's own browser keeps about their comments, in cookies only that browser sends:
their name, email and website if they asked to be remembered, and the ids of their comments
still waiting for a moderator (signed, so nobody can list someone else's). Both are HttpOnly:
the site's pages are shared by every reader, and the per-reader endpoint
(``/reader/state/``) reads them for the page's script."""

import json
from urllib.parse import quote

from django.conf import settings
from django.core import signing

from .forms import remembered_author

REMEMBER_COOKIE = "newsroom_commenter"
PENDING_COOKIE = "newsroom_pending"
PENDING_SALT = "newsroom.comments.pending-cookie"
# The newest ones are kept: a browser with more waiting comments shows the latest.
PENDING_KEPT = 20


def remember_set(response, request, data: dict | None) -> None:
    """Keep (or forget, with ``None``) the reader's name, email and website in their browser."""
    if data is None:
        if REMEMBER_COOKIE in request.COOKIES:
            response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")
        return
    response.set_cookie(
        REMEMBER_COOKIE,
        quote(json.dumps(data, ensure_ascii=False, separators=(",", ":"))),
        max_age=settings.COMMENTS_REMEMBER_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def remembered(request) -> dict:
    """The remembered name, email and website, or {} (see forms.remembered_author)."""
    return remembered_author(request.COOKIES.get(REMEMBER_COOKIE))


def pending_ids(request) -> list[int]:
    """The ids of the comments this browser posted that were waiting when it posted them."""
    raw = request.COOKIES.get(PENDING_COOKIE, "")
    if not raw or len(raw) > 4096:
        return []
    try:
        ids = signing.loads(
            raw, salt=PENDING_SALT, max_age=settings.COMMENTS_PENDING_COOKIE_MAX_AGE
        )
    except signing.BadSignature:
        return []
    if not isinstance(ids, list):
        return []
    return [pk for pk in ids if isinstance(pk, int) and not isinstance(pk, bool)][-PENDING_KEPT:]


def pending_add(response, request, comment_id: int) -> None:
    """Add a waiting comment to this browser's list (signed, HttpOnly, SameSite=Lax)."""
    ids = [pk for pk in pending_ids(request) if pk != comment_id] + [int(comment_id)]
    response.set_cookie(
        PENDING_COOKIE,
        signing.dumps(ids[-PENDING_KEPT:], salt=PENDING_SALT),
        max_age=settings.COMMENTS_PENDING_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
