"""Editors register endpoints and watch deliveries here; actions call the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html

from core.admin import ServiceAdminMixin, ServiceRefusalFormMixin

from . import services
from .models import TOPICS, WebhookAttempt, WebhookDelivery, WebhookEndpoint


class WebhookEndpointForm(ServiceRefusalFormMixin, forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=TOPICS,
        widget=forms.CheckboxSelectMultiple,
        help_text="The events sent to this URL.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Enter an http:// or https:// URL.")
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "url", "event_list", "is_active", "consecutive_failures", "disabled_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = [
        "secret",
        "consecutive_failures",
        "failing_since",
        "disabled_at",
        "disabled_reason",
        "created_by",
        "created_at",
    ]
    actions = ["enable_again", "rotate_secret"]

    @admin.display(description="events")
    def event_list(self, obj) -> str:
        return ", ".join(obj.events)

    def save_model(self, request, obj, form, change):
        was_off = change and not WebhookEndpoint.objects.get(pk=obj.pk).is_active
        # The service checks the destination (refused: shown on the URL field).
        self.run_service(services.endpoint_save, user=request.user, endpoint=obj)
        if was_off and obj.is_active:
            services.endpoint_enable(user=request.user, endpoint=obj)

    @admin.action(description="Turn on again and resume waiting deliveries")
    def enable_again(self, request, queryset):
        try:
            for endpoint in queryset:
                services.endpoint_enable(user=request.user, endpoint=endpoint)
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"{queryset.count()} endpoint(s) turned on.")

    @admin.action(description="Rotate the secret (tell the receiver the new one)")
    def rotate_secret(self, request, queryset):
        try:
            for endpoint in queryset:
                services.endpoint_rotate_secret(user=request.user, endpoint=endpoint)
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, "New secrets made; each endpoint's page shows its secret.")


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "duration_ms", "status_code", "error", "response_body"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event_id", "topic", "endpoint", "status_badge", "attempts", "last_status_code",
        "next_attempt_at", "created_at",
    ]  # fmt: skip
    list_filter = ["status", "topic", "endpoint"]
    search_fields = ["event_id"]
    list_select_related = ["endpoint"]
    inlines = [WebhookAttemptInline]
    actions = ["redeliver"]
    readonly_fields = [
        "endpoint", "event_id", "topic", "article_id", "event_created_at", "event_data",
        "payload", "status", "attempts", "next_attempt_at",
        "give_up_at", "last_attempt_at", "delivered_at", "last_status_code", "last_error",
        "created_at",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj) -> str:
        return format_html("<strong>{}</strong>", obj.get_status_display())

    @admin.action(description="Deliver again", permissions=["change"])
    def redeliver(self, request, queryset):
        try:
            result = services.deliveries_redeliver(
                user=request.user, delivery_ids=list(queryset.values_list("pk", flat=True))
            )
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"{result.queued} deliveries queued.")
        if result.superseded:
            self.message_user(
                request,
                f"{result.superseded} not sent again: a later event for the same article was "
                "already sent to that endpoint, and receivers must not go back in time.",
                messages.WARNING,
            )
