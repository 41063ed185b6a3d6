"""{% load html_time %}: ``{{ moment|html_datetime }}`` is a ``<time datetime>`` value HTML
accepts. Django's ``date:"c"`` writes microseconds (six digits) where HTML allows at most three;
the time is given to the second, in the newsroom's time zone."""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


def html_datetime_value(value) -> str:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return ""


register.filter("html_datetime", html_datetime_value)
