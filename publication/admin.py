from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from core.admin import CleanTextAdminMixin

from .models import AdSlot, SiteSettings, WeatherStatus
from .services import ad_html_sanitize, weather_refresh_request


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@admin.register(SiteSettings)
class SiteSettingsAdmin(CleanTextAdminMixin, admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["site_name", "tagline", "description", "logo", "default_image"]}),
        (
            "Weather in the top bar",
            {
                "fields": [
                    "weather_city",
                    "weather_latitude",
                    "weather_longitude",
                    "weather_status",
                ],
                "description": "The temperature is fetched from Open-Meteo when the site starts "
                "and every 30 minutes (WEATHER_REFRESH_SECONDS), and again within minutes after "
                "a failure; readers see the last reading with its time for up to "
                "WEATHER_MAX_AGE.",
            },
        ),
        (
            "Social links",
            {
                "fields": [
                    "facebook_url",
                    "twitter_url",
                    "instagram_url",
                    "mastodon_url",
                    "bluesky_url",
                    "linkedin_url",
                    "youtube_url",
                ]
            },
        ),
        ("Pages", {"fields": ["postal_address", "about_text", "contact_text", "privacy_text"]}),
    ]

    readonly_fields = ["weather_status"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    @admin.display(description="status")
    def weather_status(self, obj):
        status = WeatherStatus.objects.filter(pk=WeatherStatus.SINGLETON_PK).first()
        if status is None or status.attempted_at is None:
            return "Not fetched yet: it is fetched when beat or a worker starts."
        success = (
            format_html(
                "Last success: {} {} in {} at {} ({} ago).",
                status.temperature,
                status.unit,
                status.city,
                _when(status.fetched_at),
                timesince(status.fetched_at),
            )
            if status.fetched_at
            else "No successful fetch yet."
        )
        lines = [success]
        if status.error_at:
            lines.append(
                format_html(
                    "Last error: {} at {} ({}).",
                    status.error,
                    _when(status.error_at),
                    f"{status.failures} failed attempt{pluralize(status.failures)} in a row"
                    if status.failures
                    else "fetched successfully since",
                )
            )
        lines.append(format_html("Next attempt: {}.", _when(status.next_attempt_at())))
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: the list is the form.
        obj = SiteSettings.load()
        return HttpResponseRedirect(reverse("admin:publication_sitesettings_change", args=[obj.pk]))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if {"weather_latitude", "weather_longitude", "weather_city"} & set(form.changed_data):
            weather_refresh_request()


class AdSlotForm(forms.ModelForm):
    class Meta:
        model = AdSlot
        fields = [
            "name", "placement", "image", "alt_text", "link_url", "html",
            "is_enabled", "active_from", "active_to", "position",
        ]  # fmt: skip

    def clean_html(self):
        return ad_html_sanitize(html=self.cleaned_data.get("html", ""))


@admin.register(AdSlot)
class AdSlotAdmin(admin.ModelAdmin):
    form = AdSlotForm
    list_display = ["name", "placement", "is_enabled", "active_from", "active_to", "showing_now"]
    list_filter = ["placement", "is_enabled"]
    list_editable = ["is_enabled"]
    search_fields = ["name", "link_url"]
    fields = [
        "name", "placement", "image", "alt_text", "link_url", "html",
        "is_enabled", "active_from", "active_to", "position", "preview",
    ]  # fmt: skip
    readonly_fields = ["preview"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("publication.change_adslot_html"):
            fields.append("html")
        return fields

    @admin.display(boolean=True, description="showing now")
    def showing_now(self, obj):
        return obj.is_active(timezone.now())

    @admin.display(description="preview")
    def preview(self, obj):
        if obj.pk and obj.image:
            return format_html(
                '<img src="{}" alt="{}" width="320">',
                obj.image.url,
                obj.alt_text,
            )
        return "-"
