from django import template
from django.core.exceptions import ImproperlyConfigured
from django.utils.safestring import mark_safe

from .. import esi as _esi

register = template.Library()


@register.simple_tag(takes_context=True)
def esi(context, path):
    """``{% esi "/path/" %}``: the fragment at ``path`` goes here, assembled by the surrogate
    (Varnish) or, for anyone else, by the origin (see edgecache/esi.py)."""
    request = context.get("request")
    if request is None:
        raise ImproperlyConfigured(
            "{% esi %} needs the request in the template context (render with request=...)"
        )
    tag = _esi.include_tag(str(path))
    _esi.record_include(request, str(path))
    return mark_safe(tag)  # noqa: S308 - built from a validated, escaped path
