"""Failed sign-ins (django-axes): who is counted, and what a locked-out client is told.

Failures are counted per user name and client address together, so an attacker guessing one
account's password is stopped after a few tries while its owner, elsewhere, can still sign in.
An IPv6 client is counted by its /64 network: one machine usually holds a whole /64, and would
otherwise get a fresh count with every address it picks from it.
"""

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse

from core.clients import client_ip, client_network

# The user name under which failed API token attempts are counted (see authentication.py).
API_TOKEN_USERNAME = "(API token)"  # noqa: S105 - a label, not a secret


def client_address(request) -> str:
    """The address failures are counted against: the reader's (core.clients), an IPv6 one as
    the first address of its /64 (axes stores an address, not a network)."""
    network = client_network(client_ip(request))
    return network.split("/", 1)[0] or request.META.get("REMOTE_ADDR", "")


def locked_out(request, original_response=None, credentials=None):
    """The answer to a locked-out client: 429 with the admin's look and how long to wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed sign-ins",
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    response = TemplateResponse(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response.render()
