"""Request rates: anonymous reads per IP address, authenticated clients per user.

Counters live in the shared cache (Redis in production), so every web process counts together.
Rates are read from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] on each request rather than once at
import, so operators and tests can change them. Comment posts and newsletter sign-ups are limited
by their own services, with the same limits as the site's forms.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonReadThrottle(_SettingsRateThrottle):
    """Anonymous reads (GET, HEAD, OPTIONS) per client IP address."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(_SettingsRateThrottle):
    """Every request of an authenticated client (token or session), per user."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
