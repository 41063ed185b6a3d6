"""Reader pages of the newsletter: sign-up, confirmation, unsubscribe, preferences.

Pages reached through a personal link are never cached and never indexed. The one-click
unsubscribe endpoint is CSRF-exempt by design (RFC 8058: the reader's mail client posts to it
from outside the site); its signed token is the authorization.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.clients import client_ip
from core.errors import RateLimited

from .forms import PreferencesForm, SignupForm
from .selectors import subscriber_get_by_preferences_token, suppression_get
from .services import (
    InvalidChoice,
    InvalidEmail,
    confirmation_check,
    preferences_get,
    subscriber_preferences_update,
    subscriber_signup,
    subscription_confirm,
    subscription_unsubscribe,
    unsubscribe_check,
)
from .tokens import InvalidToken, preferences_token_make, unsubscribe_token_read

PRIVATE = "private, no-store"


def _page(request, template: str, context: dict, *, status: int = 200):
    response = render(request, template, {"noindex": True, **context}, status=status)
    response["Cache-Control"] = PRIVATE
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def signup_page(request, form: SignupForm, *, status: int = 200, **extra):
    """The sign-up form on a page of its own (also to finish a sign-up whose form token had
    expired, website.csrf)."""
    return _page(request, "newsletter/signup.html", {"form": form, **extra}, status=status)


@require_http_methods(["GET", "POST"])
def signup(request):
    """The "Stay Connected" form posts here; GET shows the same form on its own page."""
    status = 200
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            if form.is_bot:
                return HttpResponseRedirect(reverse("newsletter:signup-done"))
            try:
                subscriber_signup(
                    email=form.cleaned_data["email"],
                    lists=form.cleaned_data["lists"],
                    source="signup-box",
                    ip=client_ip(request),
                )
            except RateLimited as exc:
                response = _page(
                    request,
                    "newsletter/signup.html",
                    {"form": form, "error": exc.message},
                    status=429,
                )
                response["Retry-After"] = str(exc.retry_after)
                return response
            except (InvalidEmail, InvalidChoice) as exc:
                form.add_error(None, exc.message)
            else:
                return HttpResponseRedirect(reverse("newsletter:signup-done"))
        status = 400
    else:
        form = SignupForm()
    return _page(request, "newsletter/signup.html", {"form": form}, status=status)


@require_GET
def signup_done(request):
    """The same answer for every address: no way to learn who subscribes."""
    return _page(
        request,
        "newsletter/signup_done.html",
        {"max_age_days": settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS},
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows a button and changes nothing (mail scanners follow links); POST confirms."""
    try:
        if request.method == "POST":
            result = subscription_confirm(token=token, ip=client_ip(request))
            return _page(
                request,
                "newsletter/confirm_done.html",
                {
                    "lists": result.lists,
                    "preferences_token": preferences_token_make(subscriber_id=result.subscriber.pk),
                },
            )
        pending = confirmation_check(token=token)
    except InvalidToken as exc:
        return _page(
            request,
            "newsletter/link_invalid.html",
            {"message": str(exc), "form": SignupForm()},
            status=400,
        )
    return _page(request, "newsletter/confirm.html", {"lists": pending.lists, "token": token})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """RFC 8058 one-click unsubscribe: POST unsubscribes at once, no login, no redirect.

    GET (a reader clicking the link in the message) shows what will happen and a button that
    posts here; it changes nothing, so link scanners cannot unsubscribe anyone.
    """
    try:
        if request.method == "POST":
            one_click = request.POST.get("List-Unsubscribe") == "One-Click"
            lists = subscription_unsubscribe(
                token=token, source="one-click" if one_click else "link"
            )
            data = unsubscribe_token_read(token)
            return _page(
                request,
                "newsletter/unsubscribe_done.html",
                {
                    "lists": lists,
                    "preferences_token": preferences_token_make(subscriber_id=data.subscriber_id),
                },
            )
        lists = unsubscribe_check(token=token)
    except InvalidToken as exc:
        return _page(request, "newsletter/link_invalid.html", {"message": str(exc)}, status=400)
    return _page(request, "newsletter/unsubscribe.html", {"lists": lists, "token": token})


@require_http_methods(["GET", "POST"])
def preferences(request, token: str):
    try:
        subscriber = subscriber_get_by_preferences_token(token=token)
    except InvalidToken as exc:
        return _page(request, "newsletter/link_invalid.html", {"message": str(exc)}, status=400)
    if subscriber is None:
        return _page(
            request,
            "newsletter/link_invalid.html",
            {"message": "We have no subscription for this link any more."},
            status=404,
        )
    choices = preferences_get(subscriber=subscriber)
    status = 200
    if request.method == "POST":
        form = PreferencesForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                subscriber_preferences_update(
                    subscriber=subscriber, list_ids=form.list_ids(), ip=client_ip(request)
                )
            except InvalidChoice as exc:
                form.add_error("lists", exc.message)
            else:
                url = reverse("newsletter:preferences", kwargs={"token": token})
                return HttpResponseRedirect(f"{url}?saved=1")
        status = 400
    else:
        form = PreferencesForm(choices=choices)
    return _page(
        request,
        "newsletter/preferences.html",
        {
            "form": form,
            "email": subscriber.email,
            "saved": request.GET.get("saved") == "1" and request.method == "GET",
            "suppression": suppression_get(email=subscriber.email),
        },
        status=status,
    )
