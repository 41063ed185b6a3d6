"""{% load absolute_urls %}: ``{{ path|absolute }}`` is the path on SITE_URL (core.links)."""

from django import template

from core.links import absolute_url

register = template.Library()


@register.filter
def absolute(url: str) -> str:
    return absolute_url(url) if url else url
