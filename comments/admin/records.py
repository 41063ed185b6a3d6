"""Read-only records: reader reports, the moderation log, notification recipients, mail log."""

from django.contrib import admin

from ..models import Flag, MailLog, ModerationAction, NotificationRecipient


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["comment", "reason", "text", "created_at"]
    list_filter = ["reason", "created_at"]
    list_select_related = ["comment"]
    search_fields = ["text", "reporter_email"]


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "actor",
        "action",
        "comment_id",
        "from_status",
        "to_status",
        "reason",
        "note",
    ]
    list_filter = ["action", "reason", "created_at"]
    list_select_related = ["actor"]
    search_fields = ["note", "actor__username"]


@admin.register(NotificationRecipient)
class NotificationRecipientAdmin(ReadOnlyAdmin):
    list_display = ["email", "confirmed_at", "confirmation_sent_at", "unsubscribed_at"]
    search_fields = ["email"]


@admin.register(MailLog)
class MailLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "recipient", "outcome", "detail", "sent_at"]
    list_filter = ["kind", "outcome"]
    search_fields = ["recipient"]
