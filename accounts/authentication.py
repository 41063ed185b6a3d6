"""API tokens under the sign-in lockout policy.

A token is not a password: it is 160 random bits an administrator issues, so it cannot be
guessed, and it does not ask for a second factor (machines hold tokens; create them for
integration accounts, and regenerate one that leaks). What the lockout is for still holds:
wrong tokens are counted as failed sign-ins of the client address (under the user name
"(API token)", beside the admin's failures in *Axes > Access attempts*), and once a client has
used up the limit every token request from it answers 429, a right token included, until the
cool-off has passed.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled

from .lockout import API_TOKEN_USERNAME


class LockoutTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        django_request = request._request
        credentials = {settings.AXES_USERNAME_FORM_FIELD: API_TOKEN_USERNAME}
        if settings.AXES_ENABLED and AxesProxyHandler.is_locked(django_request, credentials):
            wait = int(settings.AXES_COOLOFF_TIME.total_seconds())
            raise Throttled(
                wait=wait,
                detail="Too many wrong API tokens from your address: try again later.",
            )
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            user_login_failed.send(sender=__name__, credentials=credentials, request=django_request)
            # The failure is counted; the answer stays the API's 401, not axes' lockout page.
            django_request.axes_locked_out = False
            raise
