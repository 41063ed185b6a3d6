"""{% load newsletter_tags %}{% newsletter_signup %}: the sign-up form of the "Stay Connected"
box, or nothing while no list is public. It posts to /newsletter/subscribe/; on the pages every
reader shares it carries no CSRF token (the site's script adds the reader's own, and without
JavaScript the site answers a post without one with the form again, filled in, and a fresh
token)."""

from django import template
from django.template.loader import render_to_string

from ..forms import SignupForm

register = template.Library()


@register.simple_tag(takes_context=True)
def newsletter_signup(context) -> str:
    form = SignupForm(auto_id="nl-%s")
    if not form.public_lists:
        return ""
    request = context.get("request")
    return render_to_string(
        "newsletter/_signup_form.html",
        {"form": form, "csrf_token": context.get("csrf_token")},
        request=request,
    )
