"""Newsletter URLs, under /newsletter/ (namespace "newsletter").

Provider webhooks (bounces, complaints, inbound unsubscribe mail) are django-anymail's views
under /newsletter/anymail/<provider>/tracking/ (and /inbound/); they answer only when
ANYMAIL_WEBHOOK_SECRET is set, so nobody can feed fake bounces to an unprotected endpoint, and
a body the provider's parser cannot read is a 400.
"""

import logging
from functools import wraps

from anymail import urls as anymail_urls
from anymail.exceptions import (
    AnymailConfigurationError,
    AnymailError,
    AnymailWebhookValidationFailure,
)
from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.urls import URLPattern, include, path
from django.views.decorators.csrf import csrf_exempt

from . import views

app_name = "newsletter"
logger = logging.getLogger(__name__)

# What a provider's parser raises on a body that is not the provider's payload (not JSON, too
# deeply nested, the wrong shape): the sender's fault, a 400, never a 500.
UNREADABLE_PAYLOAD = (
    AnymailError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    RecursionError,
)


def _only_with_secret(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            raise Http404("Provider webhooks are not configured.")
        try:
            return view(request, *args, **kwargs)
        except AnymailWebhookValidationFailure:
            raise  # wrong credentials: Django's 400, logged as a security event
        except AnymailConfigurationError:
            # This provider needs settings of its own (a signing key) that are not set.
            raise Http404("This provider's webhooks are not configured.") from None
        except UNREADABLE_PAYLOAD as exc:
            logger.warning(
                "Provider webhook refused: payload not understood",
                extra={"path": request.path, "error": repr(exc)[:500]},
            )
            return HttpResponseBadRequest(
                "Not a webhook payload this endpoint understands.", content_type="text/plain"
            )

    return csrf_exempt(wrapped)


anymail_patterns = [
    URLPattern(p.pattern, _only_with_secret(p.callback), p.default_args, p.name)
    for p in anymail_urls.urlpatterns
]

urlpatterns = [
    path("subscribe/", views.signup, name="signup"),
    path("subscribe/check-your-inbox/", views.signup_done, name="signup-done"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("anymail/", include((anymail_patterns, "anymail"))),
]
