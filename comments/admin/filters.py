"""List filters of the comment lists: reader reports and why a comment was held."""

from django.contrib import admin
from django.db import connection

from ..models import Reason

REASON_LABELS = dict(Reason.choices)


class FlaggedFilter(admin.SimpleListFilter):
    title = "reader reports"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", "Flagged"), ("no", "Not flagged")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(flagged_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(flagged_at__isnull=True)
        return queryset


class ReasonFilter(admin.SimpleListFilter):
    title = "held because"
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return Reason.choices

    def queryset(self, request, queryset):
        code = self.value()
        if code not in REASON_LABELS:
            return queryset
        if connection.features.supports_json_field_contains:
            return queryset.filter(reasons__contains=[code])
        # SQLite: the JSON list is stored as text; codes are plain words in quotes.
        return queryset.filter(reasons__icontains=f'"{code}"')
