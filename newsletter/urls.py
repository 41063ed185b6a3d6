"""Newsletter URLs, under /newsletter/ (namespace "newsletter").

Provider webhooks (bounces, complaints, inbound unsubscribe mail) are django-anymail's views
under /newsletter/anymail/<provider>/tracking/ (and /inbound/); they answer only when
ANYMAIL_WEBHOOK_SECRET is set, so nobody can feed fake bounces to an unprotected endpoint.
"""

from functools import wraps

from anymail import urls as anymail_urls
from django.conf import settings
from django.http import Http404
from django.urls import URLPattern, include, path
from django.views.decorators.csrf import csrf_exempt

from . import views

app_name = "newsletter"


def _only_with_secret(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            raise Http404("Provider webhooks are not configured.")
        return view(request, *args, **kwargs)

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
