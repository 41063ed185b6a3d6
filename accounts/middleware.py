"""A session that signed in with a password but still owes a second factor may only reach the
pages that take it; the admin sends it there, and the rest of the site and the API see an
anonymous visitor (a half-signed-in session grants nothing, also not to the API)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseRedirect
from django.urls import reverse

from .policies import second_factor_pending


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Readers carry no session: leave their requests alone (no session or user lookup).
        if settings.SESSION_COOKIE_NAME in request.COOKIES and second_factor_pending(request.user):
            response = self._owing(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _owing(self, request):
        path = request.path_info
        open_paths = (
            reverse("accounts:verify"),
            reverse("accounts:setup"),
            reverse("admin:logout"),
            settings.STATIC_URL,
        )
        if path.startswith(open_paths):
            return None
        if path.startswith(reverse("admin:index")):
            target = reverse("accounts:verify")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        request.user = AnonymousUser()
        return None
