"""{% load newsletter_tags %}{% newsletter_signup %}: the sign-up form of the "Stay Connected"
box. It posts to /newsletter/subscribe/ with the page's CSRF token (in a cached page the token
is a placeholder the page cache swaps per reader)."""

from django import template
from django.core.cache import caches
from django.template.loader import render_to_string

from articles.pagecache import CSRF_PLACEHOLDER

from ..forms import SignupForm

register = template.Library()


# The form is the same on every page for one site version (a change to the lists bumps it, see
# newsletter/signals.py): rendered once per version and process, in the "fragments" cache.


@register.simple_tag(takes_context=True)
def newsletter_signup(context) -> str:
    version, csrf_token = context.get("site_version"), context.get("csrf_token")
    # Only pages whose token is the page cache's placeholder share one copy.
    shared = version is not None and csrf_token == CSRF_PLACEHOLDER
    key = f"newsletter-signup:{version}" if shared else None
    if key is not None and (html := caches["fragments"].get(key)) is not None:
        return html
    form = SignupForm(auto_id="nl-%s")
    html = ""
    if form.public_lists:
        html = render_to_string(
            "newsletter/_signup_form.html", {"form": form, "csrf_token": csrf_token}
        )
    if key is not None:
        caches["fragments"].set(key, html)
    return html
