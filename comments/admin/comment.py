"""The comment list, the moderation queue and a comment's page: columns with the commenter's
history, editing through the service, and the Approve / Reject / Spam buttons."""

from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .. import services
from ..forms import CommentEditForm
from ..models import Comment, ModerationQueue, Reason
from .actions import CommentActionsMixin
from .filters import REASON_LABELS, FlaggedFilter, ReasonFilter
from .inlines import FlagInline, ModerationActionInline


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


class CommentAdmin(CommentActionsMixin, admin.ModelAdmin):
    form = CommentEditForm
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
    # Moderators edit what the commenter wrote and their note; the rest is the record.
    _moderation = [
        "status", "held_because", "flagged_at", "moderated_by", "moderated_at", "history",
    ]  # fmt: skip
    _context = [
        "article_link", "in_reply_to_link", "author_email", "notify", "created_at", "edited_at",
        "ip_address", "ip_hash", "user_agent", "user",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["author_name", "author_url", "body", "note"]}),
        ("Moderation", {"fields": _moderation}),
        ("Context", {"fields": _context}),
    ]
    readonly_fields = [*_moderation, *_context]
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
