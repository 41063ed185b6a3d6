import json

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html

from .models import Event, Sweep
from .services import event_retry

STATE_FILTERS = {
    "pending": Q(processed_at__isnull=True, failed_at__isnull=True, attempts=0),
    "retrying": Q(processed_at__isnull=True, failed_at__isnull=True, attempts__gt=0),
    "failed": Q(failed_at__isnull=False),
    "processed": Q(processed_at__isnull=False),
}


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("pending", "Pending"),
            ("retrying", "Retrying after an error"),
            ("failed", "Failed (out of attempts)"),
            ("processed", "Processed"),
        ]

    def queryset(self, request, queryset):
        if self.value() in STATE_FILTERS:
            return queryset.filter(STATE_FILTERS[self.value()])
        return queryset


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Background events are a record: read-only, except that failed ones can be retried."""

    list_display = [
        "id", "topic", "state", "attempts", "created_at", "available_at", "processed_at",
        "failed_at",
    ]  # fmt: skip
    list_display_links = ["id", "topic"]
    list_filter = [StateFilter, "topic"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["topic", "last_error"]
    date_hierarchy = "created_at"
    ordering = ["-id"]
    list_per_page = 50
    actions = ["retry_events"]
    fields = [
        "topic", "state", "payload_pretty", "created_at", "available_at", "attempts",
        "processed_at", "failed_at", "last_error_pretty",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="state")
    def state(self, obj: Event) -> str:
        if obj.state == "pending" and obj.available_at > timezone.now():
            return "pending (later)"
        return obj.state

    @admin.display(description="payload")
    def payload_pretty(self, obj: Event) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2, sort_keys=True))

    @admin.display(description="last error")
    def last_error_pretty(self, obj: Event) -> str:
        return format_html("<pre>{}</pre>", obj.last_error) if obj.last_error else "-"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Old processed events are pruned by the outbox sweep; nobody deletes pending work.
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("outbox.change_event")

    @admin.action(description="Retry the selected failed events", permissions=["retry"])
    def retry_events(self, request, queryset):
        try:
            count = event_retry(
                user=request.user, event_ids=list(queryset.values_list("pk", flat=True))
            )
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        if count:
            self.message_user(request, f"{count} failed event(s) will be retried now.")
        else:
            self.message_user(request, "None of the selected events had failed.", messages.WARNING)


@admin.register(Sweep)
class SweepAdmin(admin.ModelAdmin):
    """When each periodic sweep last completed: stale means beat or every worker is down."""

    list_display = ["name", "health", "completed_at", "age", "duration", "handled"]
    readonly_fields = ["name", "completed_at", "duration", "handled"]

    @admin.display(description="last completed")
    def age(self, obj: Sweep) -> str:
        return f"{(timezone.now() - obj.completed_at).total_seconds():.0f} s ago"

    @admin.display(description="health")
    def health(self, obj: Sweep) -> str:
        stale = (
            timezone.now() - obj.completed_at
        ).total_seconds() > settings.SWEEP_STALE_AFTER_SECONDS
        return "stale: check beat and the workers" if stale else "ok"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
