"""Bulk actions of the comment lists: moderate, ban the author, and export or erase the
commenters' personal data. Each calls one service, which checks the moderator's permission."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from .. import privacy, services
from ..models import Ban, Comment


class ModerationActionForm(ActionForm):
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"size": 30, "placeholder": "Reason (kept in the log)"}),
    )


class CommentActionsMixin:
    action_form = ModerationActionForm
    actions = [
        "approve",
        "reject",
        "mark_spam",
        "ban_email",
        "ban_ip",
        "export_commenter",
        "erase_commenter",
    ]

    def has_moderate_permission(self, request):
        return services.can_moderate(request.user)

    def has_erase_permission(self, request):
        return request.user.has_perm("comments.erase_commenter")

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
