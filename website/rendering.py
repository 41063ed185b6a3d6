"""How a reader page leaves the origin: the same bytes for every anonymous reader, public, with
the keys of what it shows; private for a signed-in member of staff or an API client with
credentials (Varnish passes those requests on, and so does the origin cache).

A shared page carries no CSRF token (its forms leave the token field out) and nothing
else of one reader's: the site's script asks ``/reader/state/`` for those.
"""

from django.shortcuts import render

from edgecache import cache_private, cache_public

from .keys import CHROME

# Shared pages carry no form token: the templates leave the token field out when it is empty.
NO_TOKEN = ""


def is_personal(request) -> bool:
    """Credentials: an Authorization header or a signed-in session."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def deliver(request, response, *, keys, shared_max_age=None, browser_max_age=None):
    """Public with ``keys`` for everyone without credentials; private for anyone with them."""
    if is_personal(request):
        return cache_private(response)
    return cache_public(
        response, keys=list(keys), shared_max_age=shared_max_age, browser_max_age=browser_max_age
    )


def render_page(request, template: str, context: dict, *, keys, status: int = 200, **lifetime):
    """A page in the site's layout (base.html), delivered by ``deliver``; the layout's own keys
    (site settings, navigation) are added."""
    response = render(request, template, {"csrf_token": NO_TOKEN, **context}, status=status)
    return deliver(request, response, keys=[*keys, *CHROME], **lifetime)
