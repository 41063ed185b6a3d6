"""The staff's second-factor pages, in the admin's look: enter a code after the password, set up
an authenticator app, see and renew recovery codes."""

from base64 import b32encode

import segno
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from . import services
from .forms import CodeForm
from .policies import second_factor_required

CODES_SESSION_KEY = "accounts_new_recovery_codes"


def _next_url(request) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _render(request, template: str, title: str, **context):
    context = {
        **admin.site.each_context(request),
        "title": title,
        "next": _next_url(request),
        **context,
    }
    return TemplateResponse(request, template, context)


def _staff_only(view):
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


def _signed_in(request, device) -> None:
    request.session.cycle_key()  # a new session id once the second factor is proved
    otp_login(request, device)


@_staff_only
def second_factor_verify(request):
    """After the password: a code from the authenticator app, or a recovery code."""
    user = request.user
    if user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    if not user_has_device(user, confirmed=True):
        if second_factor_required(user):
            return redirect(f"{reverse('accounts:setup')}?{request.GET.urlencode()}")
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            _signed_in(request, device)
            return HttpResponseRedirect(_next_url(request))
        form.add_error(
            "code",
            "That code is not valid or was already used. Enter the current code from your "
            "app, or one of your recovery codes. After several wrong codes you must wait a "
            "little before the next try.",
        )
    return _render(request, "accounts/verify.html", "Two-step sign-in", form=form)


@_staff_only
def second_factor_setup(request):
    """Set up an authenticator app (scan the QR code, confirm with a code); replaces an earlier
    one only for a session that proved it."""
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return redirect(f"{reverse('accounts:verify')}?{request.GET.urlencode()}")
    device = services.authenticator_pending(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.authenticator_confirm(
                user=user, code=form.cleaned_data["code"]
            )
        except services.SecondFactorError as exc:
            form.add_error("code", str(exc))
        else:
            _signed_in(request, device)
            request.session[CODES_SESSION_KEY] = codes
            return redirect(f"{reverse('accounts:recovery-codes')}?next={_next_url(request)}")
    qr = segno.make(device.config_url, error="m")
    return _render(
        request,
        "accounts/setup.html",
        "Set up two-step sign-in",
        form=form,
        qr_data_uri=qr.svg_data_uri(scale=5, border=2),
        secret=b32encode(device.bin_key).decode().rstrip("="),
        required=second_factor_required(user),
    )


@_staff_only
def recovery_codes(request):
    """The new recovery codes, shown once; POST makes a new set (the old ones stop working)."""
    if request.method == "POST":
        request.session[CODES_SESSION_KEY] = services.recovery_codes_renew(user=request.user)
        return redirect("accounts:recovery-codes")
    codes = request.session.pop(CODES_SESSION_KEY, None)
    if codes is None:
        return redirect("accounts:overview")
    return _render(request, "accounts/recovery_codes.html", "Your recovery codes", codes=codes)


@_staff_only
def security_overview(request):
    user = request.user
    return _render(
        request,
        "accounts/overview.html",
        "Two-step sign-in",
        has_authenticator=user_has_device(user, confirmed=True),
        required=second_factor_required(user),
        codes_left=services.recovery_codes_left(user=user),
    )


@require_POST
@_staff_only
def second_factor_remove(request):
    try:
        services.second_factor_remove(user=request.user)
    except services.SecondFactorRequired as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Two-step sign-in is off for your account.")
    return redirect("accounts:overview")
