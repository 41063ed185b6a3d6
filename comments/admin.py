"""Moderation in the Django admin: the queue, every comment, word lists, bans and policies.

Declarative; every decision goes through comments.services (or comments.privacy), which check
the moderator's permission and write the audit log.
"""

import json
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from . import privacy, services
from .forms import CommentEditForm
from .models import (
    Ban,
    Comment,
    Flag,
    MailLog,
    ModerationAction,
    ModerationPolicy,
    ModerationQueue,
    NotificationRecipient,
    Reason,
    WordRule,
)

REASON_LABELS = dict(Reason.choices)


class ModerationActionForm(ActionForm):
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"size": 30, "placeholder": "Reason (kept in the log)"}),
    )


def _history_subquery(status: str):
    return Coalesce(
        Subquery(
            Comment.objects.filter(author_email=OuterRef("author_email"), status=status)
            .exclude(author_email="")
            .values("author_email")
            .annotate(n=Count("id"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


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


class CommentAdmin(admin.ModelAdmin):
    form = CommentEditForm
    action_form = ModerationActionForm
    list_display = [
        "excerpt",
        "commenter",
        "history",
        "article_link",
        "status",
        "held_because",
        "flag_total",
        "created_at",
    ]
    list_filter = ["status", FlaggedFilter, ReasonFilter, "article__section", "created_at"]
    search_fields = ["author_name", "author_email", "body", "article__title", "=ip_hash"]
    list_select_related = ["article"]
    list_per_page = 50
    show_full_result_count = False
    actions = [
        "approve",
        "reject",
        "mark_spam",
        "ban_email",
        "ban_ip",
        "export_commenter",
        "erase_commenter",
    ]
    fieldsets = [
        (None, {"fields": ["author_name", "author_url", "body", "note"]}),
        (
            "Moderation",
            {
                "fields": [
                    "status",
                    "held_because",
                    "flagged_at",
                    "moderated_by",
                    "moderated_at",
                    "history",
                ]
            },
        ),
        (
            "Context",
            {
                "fields": [
                    "article_link",
                    "in_reply_to_link",
                    "author_email",
                    "notify",
                    "created_at",
                    "edited_at",
                    "ip_address",
                    "ip_hash",
                    "user_agent",
                    "user",
                ]
            },
        ),
    ]
    readonly_fields = [
        "status",
        "held_because",
        "flagged_at",
        "moderated_by",
        "moderated_at",
        "history",
        "article_link",
        "in_reply_to_link",
        "author_email",
        "notify",
        "created_at",
        "edited_at",
        "ip_address",
        "ip_hash",
        "user_agent",
        "user",
    ]
    inlines = [FlagInline, ModerationActionInline]
    change_form_template = "admin/comments/comment/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article", "moderated_by", "user", "in_reply_to")
            .annotate(
                flag_count=Count("flags", distinct=True),
                history_approved=_history_subquery(Comment.Status.APPROVED),
                history_rejected=_history_subquery(Comment.Status.REJECTED),
                history_spam=_history_subquery(Comment.Status.SPAM),
            )
        )

    # -- columns ---------------------------------------------------------------
    @admin.display(description="comment")
    def excerpt(self, obj):
        text = " ".join(obj.body.split())
        return text[:140] + ("…" if len(text) > 140 else "")

    @admin.display(description="commenter", ordering="author_name")
    def commenter(self, obj):
        return format_html(
            "{}<br><small>{}</small>", obj.author_name, obj.author_email or "(erased)"
        )

    @admin.display(description="history (approved / rejected / spam)")
    def history(self, obj):
        if not obj.author_email:
            return "-"
        url = reverse("admin:comments_comment_changelist") + "?" + _query(obj.author_email)
        return format_html(
            '<a href="{}" title="All comments from this address">{} / {} / {}</a>',
            url,
            getattr(obj, "history_approved", 0),
            getattr(obj, "history_rejected", 0),
            getattr(obj, "history_spam", 0),
        )

    @admin.display(description="article", ordering="article__title")
    def article_link(self, obj):
        public = ""
        if obj.article.is_published:
            public = obj.article.get_absolute_url() + f"#comment-{obj.pk}"
        queue = reverse(f"admin:comments_{self.model._meta.model_name}_changelist")
        return format_html(
            '<a href="{}?article__id__exact={}" title="Comments on this article">{}</a>{}',
            queue,
            obj.article_id,
            obj.article.title,
            format_html(' · <a href="{}" target="_blank" rel="noopener">view</a>', public)
            if public
            else "",
        )

    @admin.display(description="in reply to")
    def in_reply_to_link(self, obj):
        target = obj.in_reply_to_id or obj.parent_id
        if not target:
            return "-"
        return format_html(
            '<a href="{}">comment #{}</a>',
            reverse("admin:comments_comment_change", args=[target]),
            target,
        )

    @admin.display(description="held because")
    def held_because(self, obj):
        labels = [REASON_LABELS.get(code, code) for code in obj.reasons or []]
        if obj.reason == Reason.MANUAL:
            labels.append(REASON_LABELS[Reason.MANUAL])
        return (
            format_html_join(", ", "<span class='reason'>{}</span>", ((label,) for label in labels))
            or "-"
        )

    @admin.display(description="reports", ordering="flag_count")
    def flag_total(self, obj):
        return getattr(obj, "flag_count", 0)

    # -- permissions -------------------------------------------------------------
    def has_add_permission(self, request):
        return False

    def has_moderate_permission(self, request):
        return services.can_moderate(request.user)

    def has_erase_permission(self, request):
        return request.user.has_perm("comments.erase_commenter")

    # -- saving an edit ------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        services.comment_edit(
            actor=request.user,
            comment=obj,
            author_name=form.cleaned_data["author_name"],
            author_url=form.cleaned_data["author_url"],
            body=form.cleaned_data["body"],
            note=form.cleaned_data.get("note", ""),
        )
        for button, action in (("_approve", "approve"), ("_reject", "reject"), ("_spam", "spam")):
            if button in request.POST:
                services.comment_moderate(
                    actor=request.user,
                    comment=obj,
                    action=action,
                    note=form.cleaned_data.get("note", ""),
                )

    def render_change_form(self, request, context, *args, **kwargs):
        context["can_moderate"] = services.can_moderate(request.user)
        return super().render_change_form(request, context, *args, **kwargs)

    # -- bulk actions --------------------------------------------------------------
    def _moderate(self, request, queryset, action: str, done: str):
        try:
            changed = services.comments_moderate(
                actor=request.user,
                comments=list(queryset),
                action=action,
                note=request.POST.get("note", ""),
            )
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"{changed} comment(s) {done}.", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, "approve", "approved")

    @admin.action(description="Reject selected comments", permissions=["moderate"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, "reject", "rejected")

    @admin.action(description="Mark selected comments as spam", permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, "spam", "marked as spam")

    def _ban(self, request, queryset, kind: str):
        banned, skipped = 0, 0
        for comment in queryset:
            try:
                services.comment_ban_author(
                    actor=request.user,
                    comment=comment,
                    kind=kind,
                    note=request.POST.get("note", ""),
                )
                banned += 1
            except ValidationError:
                skipped += 1
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
        what = "email address" if kind == Ban.Kind.EMAIL else "IP address"
        self.message_user(
            request,
            f"Banned the {what} of {banned} comment(s) and marked them as spam"
            + (f"; {skipped} had no {what} to ban." if skipped else "."),
            messages.SUCCESS if not skipped else messages.WARNING,
        )

    @admin.action(description="Ban the email address (and mark as spam)", permissions=["moderate"])
    def ban_email(self, request, queryset):
        self._ban(request, queryset, Ban.Kind.EMAIL)

    @admin.action(description="Ban the IP address (and mark as spam)", permissions=["moderate"])
    def ban_ip(self, request, queryset):
        self._ban(request, queryset, Ban.Kind.IP)

    @admin.action(description="Export the commenters' personal data (GDPR)", permissions=["erase"])
    def export_commenter(self, request, queryset):
        emails = sorted({c.author_email for c in queryset if c.author_email})
        if not emails:
            self.message_user(
                request, "The selected comments carry no email address.", messages.WARNING
            )
            return None
        data = [privacy.commenter_export(actor=request.user, email=email) for email in emails]
        response = HttpResponse(
            json.dumps(data if len(data) > 1 else data[0], indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="commenter-export-{stamp}.json"'
        return response

    @admin.action(description="Erase the commenters' personal data (GDPR)", permissions=["erase"])
    def erase_commenter(self, request, queryset):
        emails = sorted({c.author_email for c in queryset if c.author_email})
        if not emails:
            self.message_user(
                request, "The selected comments carry no email address.", messages.WARNING
            )
            return None
        if request.POST.get("confirm") == "yes":
            mode = request.POST.get("mode") or None
            try:
                results = [
                    privacy.commenter_erase(actor=request.user, email=email, mode=mode)
                    for email in emails
                ]
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                return None
            total = sum(r["comments"] for r in results)
            self.message_user(
                request,
                f"Erased the data of {len(emails)} address(es): {total} comment(s) "
                f"{'anonymised' if results[0]['mode'] == 'anonymise' else 'deleted'}.",
                messages.SUCCESS,
            )
            return None
        counts = dict(
            Comment.objects.filter(author_email__in=emails)
            .values_list("author_email")
            .annotate(n=Count("id"))
        )
        return TemplateResponse(
            request,
            "admin/comments/comment/erase_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": "Erase commenters' personal data",
                "opts": self.model._meta,
                "emails": [(email, counts.get(email, 0)) for email in emails],
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "action": "erase_commenter",
                "default_mode": privacy.settings.COMMENTS_ERASE_MODE,
            },
        )


def _query(email: str) -> str:
    return urlencode({"q": email})


@admin.register(Comment)
class AllCommentsAdmin(CommentAdmin):
    date_hierarchy = "created_at"


@admin.register(ModerationQueue)
class ModerationQueueAdmin(CommentAdmin):
    """Pending and flagged comments across all articles, newest first."""

    list_filter = [FlaggedFilter, ReasonFilter, "article__section"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(Q(status=Comment.Status.PENDING) | Q(flagged_at__isnull=False))
        )

    def has_delete_permission(self, request, obj=None):
        return False


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


@admin.register(NotificationRecipient)
class NotificationRecipientAdmin(ReadOnlyAdmin):
    list_display = ["email", "confirmed_at", "confirmation_sent_at", "unsubscribed_at"]
    search_fields = ["email"]


@admin.register(MailLog)
class MailLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "recipient", "outcome", "detail", "sent_at"]
    list_filter = ["kind", "outcome"]
    search_fields = ["recipient"]
