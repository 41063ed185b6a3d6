"""What moderators set up ahead: word lists, bans and moderation policies."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from .. import services
from ..models import Ban, ModerationPolicy, WordRule


@admin.register(WordRule)
class WordRuleAdmin(admin.ModelAdmin):
    list_display = ["phrase", "kind", "note", "created_at"]
    list_filter = ["kind"]
    search_fields = ["phrase", "note"]
    fields = ["phrase", "kind", "note"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class BanForm(forms.ModelForm):
    value = forms.CharField(
        label="Email or IP address",
        max_length=254,
        help_text="Stored as a keyed hash; IPv6 addresses ban their /64 network.",
    )

    class Meta:
        model = Ban
        fields = ["kind", "value", "note", "expires_at"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.ban = services.ban_create(
                actor=self.actor,
                kind=cleaned["kind"],
                value=cleaned["value"],
                note=cleaned.get("note", ""),
                expires_at=cleaned.get("expires_at"),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        except PermissionDenied as exc:
            self.add_error(None, str(exc))
        return cleaned

    def save(self, commit=True):
        self.save_m2m = lambda: None
        return self.ban


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "note", "created_by", "created_at", "expires_at"]
    list_filter = ["kind"]
    search_fields = ["label", "note"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, fields=["note", "expires_at"], **kwargs)
        form = BanForm

        class RequestBanForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, actor=request.user, **inner)

        return RequestBanForm

    def get_readonly_fields(self, request, obj=None):
        return ["kind", "label", "created_by", "created_at"] if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["kind", "value", "note", "expires_at"]
        return ["kind", "label", "note", "expires_at", "created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)


@admin.register(ModerationPolicy)
class ModerationPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "mode", "surge_until", "updated_at"]
    list_filter = ["mode"]
    raw_id_fields = ["article"]
    fields = ["section", "article", "mode", "surge_until"]
    list_select_related = ["section", "article"]
