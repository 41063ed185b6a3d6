"""Reader endpoints for comments: post, reply, report, see your own comment while it waits,
and manage notification mail. Thin: parse the request, call one service or selector, render.

Pages render inside the site's layout through ``articles.views.render_page`` (never stored in
the page cache). After posting, the reader goes back to the (cached, shared) article page with
a signed ``?comment=`` token; the page cache fills in their own waiting comment per response
(comments.rendering.pending_notice), so nobody else ever sees it.
"""

import json
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article
from articles.views import render_page
from core.clients import client_ip
from core.errors import RateLimited

from . import mail, services
from .forms import CommentForm, FlagForm, apply_service_errors, remembered_author
from .models import Comment
from .selectors import comment_get_for_reader, comments_closed_reason, pending_token_for

REMEMBER_COOKIE = "newsroom_commenter"
PRIVATE = "private, no-store"


def _page(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    response = render_page(request, template, context, status=status, cache_control=PRIVATE)
    response["X-Robots-Tag"] = "noindex"
    return response


def _form_page(request, article: Article, form: CommentForm, *, status: int, **extra):
    return _page(
        request,
        "comments/comment_form_page.html",
        {
            "article": article,
            "form": form,
            "closed_reason": comments_closed_reason(article),
            "title": "Your comment",
            **extra,
        },
        status=status,
    )


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.COMMENTS_MAX_REQUEST_BYTES


def _remember(response: HttpResponse, request, data: dict | None) -> None:
    """Keep (or forget) the reader's name, email and website in their own browser. The cookie
    is read by the form's script, so a shared cached page never contains anyone's details."""
    if data is None:
        if REMEMBER_COOKIE in request.COOKIES:
            response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")
        return
    response.set_cookie(
        REMEMBER_COOKIE,
        quote(json.dumps(data, ensure_ascii=False, separators=(",", ":"))),
        max_age=settings.COMMENTS_REMEMBER_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=False,
        samesite="Lax",
    )


@require_POST
def comment_post(request, article_id: int):
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    if _too_large(request):
        return _form_page(
            request,
            article,
            CommentForm(article_id=article.pk),
            status=413,
            form_error="Your comment is far too long to send. Please shorten it.",
        )
    form = CommentForm(request.POST, article_id=article.pk)
    if not form.is_valid():
        return _form_page(request, article, form, status=400)
    data = form.cleaned_data
    try:
        comment = services.comment_post(
            article=article,
            author_name=data["author_name"],
            author_email=data["author_email"],
            author_url=data["author_url"],
            body=data["body"],
            parent_id=data["parent"] or None,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            user=request.user,
            notify=data["notify"],
        )
    except services.CommentsClosed as exc:
        form.add_error(None, exc.message)
        return _form_page(request, article, form, status=403)
    except RateLimited as exc:
        form.add_error(None, exc.message)
        response = _form_page(request, article, form, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _form_page(request, article, form, status=400)

    # Back to the article; while the comment waits, a signed token in the address lets the
    # (cached) page show this reader their own comment and nobody else's.
    target = article.get_absolute_url()
    if comment.status != Comment.Status.APPROVED:
        target += "?" + urlencode({"comment": pending_token_for(comment)})
    target += f"#comment-{comment.pk}"
    response = HttpResponseRedirect(target, status=303)
    remembered = None
    if data["remember"]:
        remembered = {
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": comment.author_url,
        }
    _remember(response, request, remembered)
    return response


@require_http_methods(["GET", "HEAD"])
def comment_reply(request, comment_id: int):
    """The form to answer one comment (the page the Reply link opens without JavaScript)."""
    parent = comment_get_for_reader(comment_id)
    if parent is None:
        raise Http404("No such comment")
    article = parent.article
    form = CommentForm(
        initial={"parent": parent.pk, **remembered_author(request.COOKIES.get(REMEMBER_COOKIE))},
        article_id=article.pk,
    )
    return _form_page(request, article, form, status=200, parent=parent, title="Reply")


@require_http_methods(["GET", "HEAD", "POST"])
def comment_report(request, comment_id: int):
    comment = comment_get_for_reader(comment_id)
    if comment is None:
        raise Http404("No such comment")
    context = {"comment": comment, "article": comment.article, "title": "Report a comment"}
    if request.method != "POST":
        return _page(request, "comments/comment_report.html", {**context, "form": FlagForm()})
    form = FlagForm(request.POST)
    if not form.is_valid():
        return _page(request, "comments/comment_report.html", {**context, "form": form}, status=400)
    try:
        services.comment_flag(
            comment=comment,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
            reporter_email=form.cleaned_data["reporter_email"],
            ip=client_ip(request),
            user=request.user,
        )
    except RateLimited as exc:
        form.add_error(None, exc.message)
        response = _page(
            request, "comments/comment_report.html", {**context, "form": form}, status=429
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _page(request, "comments/comment_report.html", {**context, "form": form}, status=400)
    return _page(request, "comments/comment_reported.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def notify_confirm(request, token: str):
    """GET asks, POST confirms: mail scanners that open links must not confirm for anyone."""
    context = {"title": "Comment notifications", "token": token}
    if request.method != "POST":
        return _page(request, "comments/notify_confirm.html", context)
    try:
        recipient = mail.notification_confirm(token=token)
    except mail.InvalidToken as exc:
        return _page(
            request, "comments/notify_confirm.html", {**context, "error": str(exc)}, status=400
        )
    return _page(request, "comments/notify_confirm.html", {**context, "confirmed": recipient})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def notify_unsubscribe(request, token: str):
    """GET asks, POST unsubscribes. CSRF-exempt for RFC 8058 one-click unsubscribe from mail
    clients; the signed token is what authorises it."""
    context = {"title": "Unsubscribe", "token": token}
    if request.method != "POST":
        return _page(request, "comments/notify_unsubscribe.html", context)
    try:
        email = mail.notification_unsubscribe(token=token)
    except mail.InvalidToken as exc:
        return _page(
            request, "comments/notify_unsubscribe.html", {**context, "error": str(exc)}, status=400
        )
    return _page(request, "comments/notify_unsubscribe.html", {**context, "done": email})
