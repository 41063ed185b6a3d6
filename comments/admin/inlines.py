"""What a comment's page shows under it: the reader reports and the moderation log."""

from django.contrib import admin

from ..models import Flag, ModerationAction


class FlagInline(admin.TabularInline):
    model = Flag
    extra = 0
    can_delete = False
    fields = ["created_at", "reason", "text", "reporter_email"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ModerationActionInline(admin.TabularInline):
    model = ModerationAction
    extra = 0
    can_delete = False
    verbose_name_plural = "moderation log"
    fields = ["created_at", "actor", "action", "from_status", "to_status", "reason", "note"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
