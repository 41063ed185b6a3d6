"""Staff pages of the development mail outbox, there only while it is the email backend."""

from functools import wraps

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .selectors import mail_get, mail_list_newest
from .services import outbox_empty

BACKEND = "devmail.backend.EmailBackend"
# The message's own HTML, shown as the mail program would: no script, no form, no navigation.
MAIL_HTML_POLICY = "sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline'"


def outbox_in_use(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.EMAIL_BACKEND != BACKEND:
            raise Http404("Mails are not kept in the development outbox here.")
        return view(request, *args, **kwargs)

    return staff_member_required(wrapper)


def _context(request, **extra) -> dict:
    return {**admin.site.each_context(request), **extra}


@outbox_in_use
def mail_list(request):
    mails, total = mail_list_newest()
    return render(
        request,
        "devmail/mail_list.html",
        _context(
            request, title="Mail outbox", mails=mails, total=total, folder=settings.EMAIL_FILE_PATH
        ),
    )


@outbox_in_use
def mail_detail(request, mail_id: str):
    mail = mail_get(mail_id)
    if mail is None:
        raise Http404("No such message in the outbox.")
    return render(
        request, "devmail/mail_detail.html", _context(request, title=mail.subject, mail=mail)
    )


@outbox_in_use
def mail_html(request, mail_id: str):
    mail = mail_get(mail_id)
    if mail is None or not mail.html:
        raise Http404("This message has no HTML part.")
    response = HttpResponse(mail.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = MAIL_HTML_POLICY
    return response


@outbox_in_use
@require_POST
def mail_empty(request):
    removed = outbox_empty()
    messages.success(request, f"Deleted {removed} message{'s' if removed != 1 else ''}.")
    return redirect("devmail:list")
