"""Newsletter admin: lists, subscribers, suppressions, and editions with live progress.

Sending, pausing, resuming and cancelling are buttons on the edition page that call the edition
services (which check the "send editions" permission); the ledger is read-only here.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.admin import CleanTextAdminMixin
from core.errors import DomainError, NotAllowed

from .models import Delivery, Edition, EditionArticle, List, Subscriber, Subscription, Suppression
from .selectors import edition_progress
from .services import (
    edition_cancel,
    edition_pause,
    edition_resume,
    edition_send_test,
    edition_start,
    edition_unschedule,
    suppression_add,
    suppression_remove,
)

S = Edition.Status
ACTIVE = (S.PREPARING, S.SENDING, S.PAUSED)


@admin.register(List)
class ListAdmin(CleanTextAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "is_public", "uncertain_policy", "confirmed", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed_count=Count(
                    "subscriptions", filter=Q(subscriptions__status=Subscription.Status.CONFIRMED)
                )
            )
        )

    @admin.display(description="confirmed subscribers", ordering="confirmed_count")
    def confirmed(self, obj) -> int:
        return obj.confirmed_count


class SubscriptionInline(admin.TabularInline):
    """Read-only: consent is given by the reader (double opt-in), not typed in by staff."""

    model = Subscription
    extra = 0
    can_delete = False
    fields = (
        "list",
        "status",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "unsubscribe_source",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "consent_source", "consent_at", "confirmed_at")
    search_fields = ("email",)
    list_filter = ("consent_source", "subscriptions__list", "subscriptions__status")
    readonly_fields = (
        "email",
        "consent_source",
        "consent_ip",
        "consent_at",
        "confirmed_at",
        "confirmed_ip",
    )
    inlines = [SubscriptionInline]
    show_full_result_count = False
    actions = ["suppress_selected"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Suppress: never mail these addresses again", permissions=["change"])
    def suppress_selected(self, request, queryset):
        if not request.user.has_perm("newsletter.add_suppression"):
            raise PermissionDenied
        count = 0
        for email in queryset.values_list("email", flat=True):
            count += suppression_add(
                email=email, reason="manual", detail=f"By {request.user}", source="admin"
            )[1]
        self.message_user(request, f"{count} address(es) suppressed.", messages.SUCCESS)


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ("email", "reason", "source", "created_at")
    list_filter = ("reason", "source")
    search_fields = ("email",)
    fields = ("email", "reason", "detail", "source", "created_at")
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ("email", "reason", "source", "created_at") if obj else ("source", "created_at")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["detail"])
            return
        suppression, _ = suppression_add(
            email=obj.email, reason=obj.reason, detail=obj.detail, source="admin"
        )
        obj.pk = suppression.pk

    def delete_model(self, request, obj):
        try:
            suppression_remove(user=request.user, email=obj.email)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class EditionArticleInline(admin.TabularInline):
    model = EditionArticle
    extra = 1
    fields = ("position", "article")
    raw_id_fields = ("article",)
    verbose_name = "article"
    verbose_name_plural = "articles (published ones only go out)"

    def _editable(self, obj) -> bool:
        return obj is None or obj.is_editable

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Edition)
class EditionAdmin(CleanTextAdminMixin, admin.ModelAdmin):
    list_display = (
        "subject",
        "list",
        "kind",
        "status",
        "progress_summary",
        "send_at",
        "created_at",
    )
    list_filter = ("status", "kind", "list")
    search_fields = ("subject",)
    date_hierarchy = "created_at"
    fields = ("list", "extra_lists", "subject", "intro", "send_at")
    status_fields = ("kind", "status", "status_reason", "created_by", "prepared_at", "finished_at")
    inlines = [EditionArticleInline]
    change_form_template = "newsletter/admin/edition_change_form.html"
    list_select_related = ("list",)

    class Media:
        js = ("newsletter/edition-progress.js",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "extra_lists":
            from django.forms import CheckboxSelectMultiple

            kwargs["widget"] = CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return self.fields + self.status_fields
        return self.status_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return self.fields + (self.status_fields if obj is not None else ())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="progress")
    def progress_summary(self, obj) -> str:
        if obj.status == S.SENT and obj.stats:
            stats = obj.stats
        elif obj.status in ACTIVE:
            progress = edition_progress(obj)
            stats = {"sent": progress.sent, "total": progress.total, "failed": progress.failed}
        else:
            return "-"
        text = f"{stats.get('sent', 0):,} / {stats.get('total', 0):,} sent"
        if stats.get("failed"):
            text += f", {stats['failed']:,} failed"
        return text

    # -- buttons -----------------------------------------------------------------------
    def get_urls(self):
        def route(suffix, view, name):
            return path(
                f"<path:object_id>/{suffix}/",
                self.admin_site.admin_view(view),
                name=f"newsletter_edition_{name}",
            )

        return [
            route("send", self._action(edition_start, "Sending started."), "send"),
            route("unschedule", self._action(edition_unschedule, "Back to draft."), "unschedule"),
            route("pause", self._action(edition_pause, "Paused."), "pause"),
            route("resume", self._action(edition_resume, "Sending resumed."), "resume"),
            route("cancel", self._action(edition_cancel, "Cancelled."), "cancel"),
            route("test", self._test_view, "test"),
            route("progress", self._progress_view, "progress"),
            *super().get_urls(),
        ]

    def _get_or_404(self, request, object_id) -> Edition:
        edition = self.get_object(request, unquote(object_id))
        if edition is None:
            raise Http404("No such edition.")
        return edition

    def _back(self, edition) -> HttpResponseRedirect:
        return HttpResponseRedirect(
            reverse(
                "admin:newsletter_edition_change",
                args=[edition.pk],
                current_app=self.admin_site.name,
            )
        )

    def _action(self, service, done: str):
        def view(request, object_id):
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            edition = self._get_or_404(request, object_id)
            try:
                edition = service(user=request.user, edition=edition)
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                message = done
                if edition.status == S.SCHEDULED:
                    message = f"Scheduled for {edition.send_at:%Y-%m-%d %H:%M %Z}."
                self.message_user(request, message, messages.SUCCESS)
            return self._back(edition)

        return view

    def _test_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        edition = self._get_or_404(request, object_id)
        try:
            address = edition_send_test(user=request.user, edition=edition)
        except NotAllowed as exc:
            self.message_user(request, exc.message, messages.ERROR)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(request, f"Test sent to {address}.", messages.SUCCESS)
        return self._back(edition)

    def _progress_view(self, request, object_id):
        edition = self._get_or_404(request, object_id)
        if not self.has_view_permission(request, edition):
            raise PermissionDenied
        response = JsonResponse(edition_progress(edition).as_dict())
        response["Cache-Control"] = "no-store"
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        edition = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if edition is not None:
            may_send = request.user.has_perm("newsletter.send_edition")
            extra_context.update(
                progress=edition_progress(edition),
                may_send=may_send,
                buttons=self._buttons(edition) if may_send else [],
                progress_url=reverse(
                    "admin:newsletter_edition_progress",
                    args=[edition.pk],
                    current_app=self.admin_site.name,
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _buttons(self, edition) -> list[tuple[str, str, str]]:
        """(label, url name, css class) of the actions this edition's state allows."""
        buttons = []
        if edition.status == S.DRAFT:
            label = "Schedule" if edition.send_at else "Send now"
            buttons.append((label, "send", "default"))
        if edition.status == S.SCHEDULED:
            buttons += [("Send now", "send", "default"), ("Unschedule", "unschedule", "")]
        if edition.status in (S.SENDING, S.PREPARING):
            buttons.append(("Pause", "pause", ""))
        if edition.status == S.PAUSED:
            buttons.append(("Resume", "resume", "default"))
        buttons.append(("Send a test to me", "test", ""))
        if edition.status not in (S.SENT, S.FAILED):
            buttons.append(("Cancel edition", "cancel", "deletelink"))
        return [
            (
                label,
                reverse(
                    f"admin:newsletter_edition_{name}",
                    args=[edition.pk],
                    current_app=self.admin_site.name,
                ),
                css,
            )
            for label, name, css in buttons
        ]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The ledger, read-only: who got which edition, when, and what went wrong."""

    list_display = (
        "edition",
        "subscriber",
        "status",
        "attempts",
        "sent_at",
        "was_uncertain",
        "skip_reason",
        "error",
    )
    list_filter = ("status", "was_uncertain", "skip_reason")
    search_fields = ("subscriber__email",)
    raw_id_fields = ("edition", "subscriber")
    list_select_related = ("edition", "subscriber")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="last error")
    def error(self, obj) -> str:
        return format_html("<span title='{}'>{}</span>", obj.last_error, obj.last_error[:60])
