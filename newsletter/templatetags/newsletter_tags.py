"""{% load newsletter_tags %}{% newsletter_signup %}: the sign-up form of the "Stay Connected"
box. It posts to /newsletter/subscribe/ with the page's CSRF token (in a cached page the token
is a placeholder the page cache swaps per reader)."""

from django import template
from django.template.loader import render_to_string

from ..forms import SignupForm

register = template.Library()


@register.simple_tag(takes_context=True)
def newsletter_signup(context) -> str:
    form = SignupForm(auto_id="nl-%s")
    if not form.public_lists:
        return ""
    return render_to_string(
        "newsletter/_signup_form.html",
        {"form": form, "csrf_token": context.get("csrf_token")},
    )
