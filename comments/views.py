"""Reader endpoints for comments: post, reply, report, see your own comment while it waits,
and manage notification mail. Thin: parse the request, call one service or selector, render.

Pages are private (one reader's form) and extend the site's base template, whose chrome comes
from the reader site's context processor. After posting, the reader goes back to the article
page, shared by every reader; a signed cookie of their own lists their waiting comment, and the
page's script shows it to that browser only (``/reader/state/``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article
from core.clients import client_ip
from core.errors import RateLimited

from . import cookies, mail, services
from .forms import CommentForm, FlagForm, apply_service_errors, form_stamp
from .models import Comment
from .selectors import comment_get_for_reader, comments_closed_reason

PRIVATE = "private, no-store"


def _page(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    response = render(request, template, {"noindex": True, **context}, status=status)
    response["Cache-Control"] = PRIVATE
    response["X-Robots-Tag"] = "noindex"
    return response


def comment_form_page(
    request, article: Article, form: CommentForm, *, status: int, title: str = "", **extra
):
    """The comment form on a page of its own: to reply without JavaScript, after an error, or
    to finish a post whose form token had expired (website.csrf). ``title`` is the page's
    heading; a refused comment says so."""
    if not title:
        title = "Your comment was not posted" if status >= 400 else "Your comment"
    return _page(
        request,
        "comments/comment_form_page.html",
        {
            "article": article,
            "form": form,
            "closed_reason": comments_closed_reason(article),
            "title": title,
            "stamp": form_stamp(article.pk),
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


@require_POST
def comment_post(request, article_id: int):
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    if _too_large(request):
        return comment_form_page(
            request,
            article,
            CommentForm(article_id=article.pk),
            status=413,
            form_error="Your comment is far too long to send. Please shorten it.",
        )
    form = CommentForm(request.POST, article_id=article.pk)
    if not form.is_valid():
        return comment_form_page(request, article, form, status=400)
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
        return comment_form_page(request, article, form, status=403)
    except RateLimited as exc:
        form.add_error(None, exc.message)
        response = comment_form_page(request, article, form, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return comment_form_page(request, article, form, status=400)

    # Back to the article, the same page for everyone; while the comment waits, this browser's
    # own signed cookie lets the page's script show it here, and nowhere else.
    target = f"{article.get_absolute_url()}#comment-{comment.pk}"
    response = HttpResponseRedirect(target, status=303)
    if comment.status == Comment.Status.PENDING:
        cookies.pending_add(response, request, comment.pk)
    remembered = None
    if data["remember"]:
        remembered = {
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": comment.author_url,
        }
    cookies.remember_set(response, request, remembered)
    return response


@require_http_methods(["GET", "HEAD"])
def comment_reply(request, comment_id: int):
    """The form to answer one comment (the page the Reply link opens without JavaScript)."""
    parent = comment_get_for_reader(comment_id)
    if parent is None:
        raise Http404("No such comment")
    article = parent.article
    form = CommentForm(
        initial={"parent": parent.pk, **cookies.remembered(request)},
        article_id=article.pk,
    )
    return comment_form_page(request, article, form, status=200, parent=parent, title="Reply")


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
