"""The journalists' admin. Every write goes through articles.services, so the admin, the API
and the worker enforce the same rules; this module only decides what to show whom.

Custom pages (history, previews, proposals, schedule...) live in articles/admin_views.py.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from authors.admin import ServiceAdminMixin, ServiceRefused

from . import admin_views, policies, services
from .admin_forms import ArticleAdminForm, NewCorrectionForm, RelatedLinkInlineForm, ScheduleForm
from .admin_views import LATE_AFTER, OVERDUE_AFTER, delay_text, error_text
from .models import Article, Byline, ChangeProposal, Correction, RelatedLink, Section
from .revisions import versions_for
from .richtext import sanitize_html

Status = Article.Status
ADMIN_CSS = "articles/admin/newsroom-admin.css"

# The transitions offered as buttons and actions: (name, label, service, editors only).
TRANSITIONS = {
    "submit": ("Submit for review", services.article_submit, False),
    "publish": ("Publish", services.article_publish, True),
    "schedule": ("Schedule", services.article_schedule, True),
    "unpublish": ("Unpublish", services.article_unpublish, True),
    "return_to_draft": ("Return to draft", services.article_return_to_draft, True),
}
TRANSITION_FROM = {
    "submit": {Status.DRAFT},
    "publish": {Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.UNPUBLISHED},
    "schedule": {Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.UNPUBLISHED},
    "unpublish": {Status.PUBLISHED},
    "return_to_draft": {Status.IN_REVIEW, Status.SCHEDULED, Status.PUBLISHED, Status.UNPUBLISHED},
}
DONE = {
    "submit": "submitted for review",
    "publish": "published",
    "schedule": "scheduled",
    "unpublish": "unpublished",
    "return_to_draft": "returned to draft",
}


def transitions_for(user, article: Article | None) -> list[tuple[str, str]]:
    """The workflow buttons to show: what the services would allow this user right now."""
    status = article.status if article is not None else Status.DRAFT
    editor = policies.is_editor(user)
    may_edit = policies.can_create(user) if article is None else policies.can_edit(user, article)
    offered = []
    for name, (label, _, editors_only) in TRANSITIONS.items():
        if article is None and name == "return_to_draft":
            continue
        if status not in TRANSITION_FROM[name]:
            continue
        if (editors_only and not editor) or not may_edit:
            continue
        offered.append((name, label))
    return offered


def visible_articles(user, queryset):
    """Editors see everything; other staff see published articles and their own work."""
    if policies.is_editor(user):
        return queryset
    own = Q(created_by=user) | Exists(
        Byline.objects.filter(article=OuterRef("pk"), author__user=user)
    )
    return queryset.filter(Q(status=Status.PUBLISHED) | own)


# The article's own admin pages: (route under /admin/articles/article/<id>/, view, URL name).
# Article ids are integers; an int converter keeps "<id>/preview/" from swallowing longer paths.
ARTICLE_PAGES = [
    ("preview/", admin_views.preview, "preview"),
    ("history/compare/", admin_views.compare, "compare"),
    ("history/<int:version_id>/preview/", admin_views.revision_preview, "revision_preview"),
    ("history/<int:version_id>/revert/", admin_views.revert, "revert"),
    ("preview-links/", admin_views.preview_links, "preview_links"),
    ("preview-links/<int:link_id>/revoke/", admin_views.preview_link_revoke, "preview_link_revoke"),
    ("propose/", admin_views.propose, "propose"),
    ("proposals/<int:proposal_id>/", admin_views.proposal_review, "proposal"),
    ("corrections/<int:correction_id>/edit/", admin_views.correction_edit, "correction_edit"),
    ("corrections/<int:correction_id>/remove/", admin_views.correction_delete, "correction_delete"),
]


# ---------------------------------------------------------------------------
# List filters
# ---------------------------------------------------------------------------
class AuthorFilter(admin.SimpleListFilter):
    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        from authors.models import Author

        return list(
            Author.objects.filter(bylines__isnull=False).distinct().values_list("pk", "name")
        )

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(
                Exists(Byline.objects.filter(article=OuterRef("pk"), author_id=int(self.value())))
            )
        return queryset


class ScheduleFilter(admin.SimpleListFilter):
    title = "schedule"
    parameter_name = "schedule"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue (scheduled, time passed)"),
            ("upcoming", "Scheduled, upcoming"),
            ("late", "Published late"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "overdue":
            return queryset.filter(status=Status.SCHEDULED, publish_at__lt=now - OVERDUE_AFTER)
        if self.value() == "upcoming":
            return queryset.filter(status=Status.SCHEDULED, publish_at__gte=now - OVERDUE_AFTER)
        if self.value() == "late":
            return queryset.filter(status=Status.PUBLISHED, publish_delay__gte=LATE_AFTER)
        return queryset


# ---------------------------------------------------------------------------
# Inlines: their rows are passed to the services, never saved by the formsets themselves
# ---------------------------------------------------------------------------
class RoleFormSet(BaseInlineFormSet):
    role = ""


class BylineFormSet(RoleFormSet):
    role = "bylines"


class RelatedFormSet(RoleFormSet):
    role = "related"


class NewCorrectionFormSet(RoleFormSet):
    role = "new_corrections"


def without_related_buttons(formfield):
    """No add/change/delete pop-ups next to a choice: an article form is not the place to
    create or delete sections, authors or other articles."""
    widget = getattr(formfield, "widget", None)
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
    return formfield


class ArticlePartInline(admin.TabularInline):
    """Editable exactly when the article is (the service checks again when saving)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return without_related_buttons(super().formfield_for_dbfield(db_field, request, **kwargs))

    def _may_edit(self, request, obj):
        if obj is None:
            return policies.can_create(request.user)
        return policies.can_edit(request.user, obj)

    def has_add_permission(self, request, obj):
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article") or self._may_edit(request, obj)


class BylineInline(ArticlePartInline):
    model = Byline
    formset = BylineFormSet
    fields = ["author", "role", "position"]
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = "byline"
    verbose_name_plural = "Bylines (in the order shown to readers: lowest position first)"


class RelatedLinkInline(ArticlePartInline):
    model = RelatedLink
    fk_name = "article"
    form = RelatedLinkInlineForm
    formset = RelatedFormSet
    fields = ["target", "url", "title", "position"]
    autocomplete_fields = ["target"]
    extra = 1
    verbose_name = "related link"
    verbose_name_plural = "Hand-picked related links (an article, or a URL with a title)"


class CorrectionInline(admin.TabularInline):
    """Published notes are read-only here; editing and removal are editor actions."""

    model = Correction
    fields = ["kind", "text", "noted_at", "created_by", "manage"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "correction or update note"
    verbose_name_plural = "Correction and update notes shown to readers"

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True

    @admin.display(description="")
    def manage(self, correction):
        if not correction.pk or not policies.is_editor(getattr(self, "_user", None)):
            return ""
        edit = reverse(
            "admin:articles_article_correction_edit", args=[correction.article_id, correction.pk]
        )
        remove = reverse(
            "admin:articles_article_correction_delete", args=[correction.article_id, correction.pk]
        )
        return format_html('<a href="{}">Edit</a> · <a href="{}">Remove…</a>', edit, remove)

    def get_formset(self, request, obj=None, **kwargs):
        self._user = request.user
        return super().get_formset(request, obj, **kwargs)


class NewCorrectionInline(admin.TabularInline):
    """New notes, added through the service with the date and the editor's name."""

    model = Correction
    form = NewCorrectionForm
    formset = NewCorrectionFormSet
    fields = ["kind", "text"]
    extra = 1
    can_delete = False
    verbose_name = "new correction or update note"
    verbose_name_plural = "Add a correction or update note"

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_add_permission(self, request, obj):
        return obj is not None and policies.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return obj is not None and policies.is_editor(request.user)


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------
@admin.register(Article)
class ArticleAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    service_errors = (services.ArticleError, ValidationError, PermissionDenied)
    inlines = [BylineInline, RelatedLinkInline, CorrectionInline, NewCorrectionInline]
    list_display = [
        "title", "section", "status_badge", "byline_names", "schedule_time", "modified_at",
        "reading_minutes",
    ]  # fmt: skip
    list_filter = [
        "status",
        ScheduleFilter,
        "section",
        AuthorFilter,
        ("published_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["section"]
    list_per_page = 50
    search_fields = ["title", "dek", "body"]
    date_hierarchy = "published_at"
    ordering = ["-modified_at"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["submit_selected", "publish_selected", "schedule_selected", "unpublish_selected",
               "return_selected_to_draft"]  # fmt: skip
    object_history_template = "admin/articles/article/object_history.html"

    class Media:
        css = {"all": [ADMIN_CSS]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return without_related_buttons(super().formfield_for_dbfield(db_field, request, **kwargs))

    # -- Who sees and does what --------------------------------------------------------
    def get_queryset(self, request):
        queryset = super().get_queryset(request).defer("search_vector")
        queryset = queryset.prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )
        return visible_articles(request.user, queryset)

    def has_add_permission(self, request):
        return policies.can_create(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("articles.change_article")
        return policies.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # A URL that was ever public never breaks: such articles are unpublished, not deleted.
        if not request.user.has_perm("articles.delete_article"):
            return False
        return obj is None or obj.first_published_at is None

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if not policies.is_editor(request.user):
            for name in ["publish_selected", "schedule_selected", "unpublish_selected",
                         "return_selected_to_draft"]:  # fmt: skip
                actions.pop(name, None)
        if not request.user.has_perm("articles.change_article"):
            actions.pop("submit_selected", None)
        return actions

    def get_fieldsets(self, request, obj=None):
        editable = (
            self.has_add_permission(request)
            if obj is None
            else self.has_change_permission(request, obj)
        )
        editor = policies.is_editor(request.user)
        main = ["title", "slug", "dek", "body" if editable else "body_html", "section"]
        main.append("tags" if editable else "tag_names")
        publishing = [
            "status_badge",
            # Editors set the publish time in the schedule field; others see it read-only.
            "schedule_at" if editable and editor else "publish_at",
            "unpublish_at",
            "first_published_at",
            "published_at",
            "updated_at",
            "reading_minutes",
        ]
        fieldsets = [
            (None, {"fields": main}),
            ("Credit", {"fields": ["credit_line"]}),
            (
                "Hero image",
                {
                    "fields": [
                        "hero_image",
                        "hero_alt",
                        "hero_caption",
                        "hero_credit",
                        "renditions",
                    ],
                    "description": "JPEG, PNG or WebP up to 10 MB; readers get WebP copies "
                    "at 480, 960 and 1600 px, made in the background.",
                },
            ),
            ("Publishing", {"fields": publishing}),
            (
                "Search engines and sharing",
                {
                    "fields": ["seo_title", "meta_description", "canonical_url"],
                    "classes": ["collapse"],
                },
            ),
            ("Options", {"fields": ["allow_comments", "is_breaking"]}),
        ]
        if editable:
            saving = ["change_note", "expected_version"]
            if obj is not None and obj.status == Status.PUBLISHED:
                saving.insert(0, "substantive")
            fieldsets.append(("Saving", {"fields": saving}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = [
            "status_badge",
            "publish_at",
            "first_published_at",
            "published_at",
            "updated_at",
            "reading_minutes",
            "renditions",
            "body_html",
            "tag_names",
        ]
        if not policies.is_editor(request.user):
            readonly.append("unpublish_at")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # Fields the form declares but this user does not get (read-only or not offered).
        shown = set(flatten_fieldsets(self.get_fieldsets(request, obj)))
        shown -= set(self.get_readonly_fields(request, obj))
        for name in list(form.base_fields):
            if name not in shown:
                del form.base_fields[name]
        return form

    def get_inline_instances(self, request, obj=None):
        return [
            inline
            for inline in super().get_inline_instances(request, obj)
            if obj is not None or not isinstance(inline, CorrectionInline | NewCorrectionInline)
        ]

    # -- Saving through the services -----------------------------------------------------
    def save_model(self, request, obj, form, change):
        """Nothing here: the service saves the article with its bylines in save_related."""

    def save_related(self, request, form, formsets, change):
        parts = {getattr(formset, "role", ""): formset for formset in formsets}
        cleaned = form.cleaned_data
        allowed = services.CONTENT_FIELDS | (
            services.EDITOR_FIELDS if policies.is_editor(request.user) else set()
        )
        if change:
            data = {
                name: self._field_value(name, cleaned[name])
                for name in form.changed_data
                if name in allowed and name in cleaned
            }
            article = self.run_service(
                services.article_update,
                user=request.user,
                article=form.instance,
                data=data,
                expected_version=cleaned.get("expected_version"),
                bylines=self._bylines(parts.get("bylines"), only_changed=True),
                related=self._related(parts.get("related"), only_changed=True),
                tags=cleaned["tags"] if "tags" in form.changed_data else None,
                substantive=cleaned.get("substantive", False),
                comment=cleaned.get("change_note", ""),
            )
        else:
            data = {
                name: self._field_value(name, cleaned[name])
                for name in cleaned
                if name in services.CONTENT_FIELDS and name not in {"title", "section", "body"}
            }
            data = {k: v for k, v in data.items() if not (k == "slug" and not v)}
            article = self.run_service(
                services.article_create,
                user=request.user,
                title=cleaned.get("title", ""),
                section=cleaned.get("section"),
                body=cleaned.get("body", ""),
                bylines=self._bylines(parts.get("bylines"), only_changed=False) or (),
                related=self._related(parts.get("related"), only_changed=False) or (),
                tags=cleaned.get("tags", []),
                **data,
            )
            if cleaned.get("unpublish_at") and "unpublish_at" in allowed:
                # A new article is a draft: its expiry is an editor's setting on top.
                article = self.run_service(
                    services.article_update,
                    user=request.user,
                    article=article,
                    data={"unpublish_at": cleaned["unpublish_at"]},
                    expected_version=article.version,
                    comment="Set the expiry",
                )
        for note in self._new_corrections(parts.get("new_corrections")):
            self.run_service(services.correction_add, user=request.user, article=article, **note)
        transition = request.POST.get("_transition")
        if transition:
            article = self._transition(request, article, transition, cleaned)
        self.adopt(form.instance, article)

    @staticmethod
    def _field_value(name, value):
        if name == "hero_image" and value in (None, False):
            return ""  # no file, or the "clear" box ticked
        return value

    @staticmethod
    def _live_forms(formset):
        rows = []
        for index, form in enumerate(formset.forms):
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            rows.append((data.get("position") or 0, index, data))
        return [data for _, _, data in sorted(rows, key=lambda row: row[:2])]

    def _bylines(self, formset, *, only_changed: bool):
        if formset is None or (only_changed and not formset.has_changed()):
            return None
        return [
            services.BylineSpec(author=data["author"], role=data.get("role") or "")
            for data in self._live_forms(formset)
            if data.get("author")
        ]

    def _related(self, formset, *, only_changed: bool):
        if formset is None or (only_changed and not formset.has_changed()):
            return None
        return [
            services.RelatedSpec(
                target=data.get("target"), url=data.get("url") or "", title=data.get("title") or ""
            )
            for data in self._live_forms(formset)
            if data.get("target") or data.get("url")
        ]

    @staticmethod
    def _new_corrections(formset):
        if formset is None:
            return []
        return [
            {"kind": form.cleaned_data["kind"], "text": form.cleaned_data["text"]}
            for form in formset.forms
            if form.has_changed() and getattr(form, "cleaned_data", None)
        ]

    def _transition(self, request, article, name, cleaned):
        """Save and move along the workflow in one step; a refusal undoes the save too."""
        if name not in TRANSITIONS:
            raise ServiceRefused(ValidationError(f"Unknown workflow step “{name}”."))
        comment = cleaned.get("change_note", "")
        if name == "schedule":
            when = cleaned.get("schedule_at")
            if when is None:
                raise ServiceRefused(
                    ValidationError({"publish_at": "Choose when the article goes live."})
                )
            article = self.run_service(
                services.article_schedule,
                user=request.user,
                article=article,
                publish_at=when,
                comment=comment,
            )
        else:
            service = TRANSITIONS[name][1]
            article = self.run_service(service, user=request.user, article=article, comment=comment)
        request._article_transition = name
        return article

    def construct_change_message(self, request, form, formsets, add=False):
        # The formsets were not saved by Django (the service wrote the rows).
        return super().construct_change_message(request, form, [], add)

    def _after_save_redirect(self, request, obj):
        name = getattr(request, "_article_transition", None)
        if not name:
            return None
        message = f"Saved and {DONE[name]}: “{obj}”."
        if name == "schedule" and obj.publish_at:
            when = timezone.localtime(obj.publish_at)
            message = f"Saved and scheduled for {when:%Y-%m-%d %H:%M}: “{obj}”."
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save_redirect(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._after_save_redirect(request, obj) or super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        user = request.user
        context.update(
            workflow_actions=transitions_for(user, obj),
            can_preview=obj is not None and policies.can_view_draft(user, obj),
            can_share_preview=obj is not None
            and (policies.can_edit(user, obj) or policies.is_editor(user)),
            can_propose=obj is not None and policies.can_propose_change(user, obj),
            is_editor=policies.is_editor(user),
        )
        if obj is not None:
            proposals = obj.change_proposals.filter(status=ChangeProposal.Status.PENDING)
            if not policies.is_editor(user):
                proposals = proposals.filter(proposed_by=user)
            context["pending_proposals"] = list(proposals.select_related("proposed_by"))
            context["overdue_text"], context["late_text"] = self._timing(obj, timezone.now())
            latest = list(versions_for(obj)[:2])
            if len(latest) == 2:
                context["last_change_url"] = (
                    reverse("admin:articles_article_compare", args=[obj.pk])
                    + f"?from={latest[1].pk}&to={latest[0].pk}"
                )
                context["last_change"] = latest[0].revision
        context["media"] = admin_views.editor_media(request, context.get("media"))
        response = super().render_change_form(request, context, add, change, form_url, obj)
        return admin_views.allow_editor(response)

    # -- Columns and read-only displays -----------------------------------------------
    @staticmethod
    def _timing(obj, now):
        overdue = late = ""
        if (
            obj.status == Status.SCHEDULED
            and obj.publish_at
            and obj.publish_at < now - OVERDUE_AFTER
        ):
            overdue = delay_text(now - obj.publish_at)
        if obj.status == Status.PUBLISHED and obj.publish_delay and obj.publish_delay >= LATE_AFTER:
            late = delay_text(obj.publish_delay)
        return overdue, late

    @admin.display(description="Status", ordering="status")
    def status_badge(self, obj):
        if obj is None or obj.pk is None:
            return "New draft"
        overdue, late = self._timing(obj, timezone.now())
        badge = format_html(
            '<span class="nr-status nr-status-{}">{}</span>', obj.status, obj.get_status_display()
        )
        if overdue:
            badge += format_html(
                ' <span class="nr-flag nr-flag-overdue" title="The scheduler has not published '
                'it yet: check the worker and beat.">overdue by {}</span>',
                overdue,
            )
        if late:
            badge += format_html(
                ' <span class="nr-flag nr-flag-late">published {} late</span>', late
            )
        return badge

    @admin.display(description="Bylines")
    def byline_names(self, obj):
        return ", ".join(b.author.name for b in obj.bylines.all()) or "-"

    @admin.display(description="Publish time", ordering="published_at")
    def schedule_time(self, obj):
        moment = obj.publish_at if obj.status == Status.SCHEDULED else obj.published_at
        if moment is None:
            return "-"
        label = "at " if obj.status == Status.SCHEDULED else ""
        return f"{label}{timezone.localtime(moment):%Y-%m-%d %H:%M}"

    @admin.display(description="Reading time")
    def reading_minutes(self, obj):
        return f"{obj.reading_time} min" if obj and obj.pk else "-"

    @admin.display(description="Body")
    def body_html(self, obj):
        return mark_safe(f'<div class="nr-body-preview">{sanitize_html(obj.body)}</div>')  # noqa: S308 - sanitized

    @admin.display(description="Tags")
    def tag_names(self, obj):
        return ", ".join(t.name for t in obj.tags.all()) or "-"

    @admin.display(description="Reader copies")
    def renditions(self, obj):
        if not obj or not obj.hero_image:
            return "No image"
        if not obj.hero_renditions:
            return "Being made in the background; readers get the original meanwhile."
        widths = sorted(int(w) for w in obj.hero_renditions)
        return format_html_join(", ", "{} px", ((w,) for w in widths))

    # -- Bulk actions: one service call per article, errors reported per article --------
    def _bulk(self, request, queryset, name, **kwargs):
        service = TRANSITIONS[name][1]
        done, failed = 0, []
        for article in queryset:
            try:
                service(user=request.user, article=article, **kwargs)
            except (services.ArticleError, ValidationError) as error:
                failed.append(f"“{article}”: {error_text(error)}")
            else:
                done += 1
        if done:
            noun = "article" if done == 1 else "articles"
            self.message_user(request, f"{done} {noun} {DONE[name]}.", messages.SUCCESS)
        for failure in failed:
            self.message_user(request, failure, messages.ERROR)

    @admin.action(description="Submit selected articles for review")
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(description="Publish selected articles now")
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description="Schedule selected articles…")
    def schedule_selected(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._bulk(
                request,
                queryset,
                "schedule",
                publish_at=form.cleaned_data["publish_at"],
                comment=form.cleaned_data["comment"],
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Schedule articles",
            "form": form,
            "articles": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/article/schedule_action.html", context)

    @admin.action(description="Unpublish selected articles")
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, "unpublish")

    @admin.action(description="Return selected articles to draft")
    def return_selected_to_draft(self, request, queryset):
        self._bulk(request, queryset, "return_to_draft")

    # -- Custom pages ---------------------------------------------------------------------
    def _article_view(self, view):
        def wrapper(request, object_id, **kwargs):
            article = self.get_object(request, str(object_id))
            if article is None:
                raise Http404("No such article, or you may not see it.")
            if not self.has_view_or_change_permission(request, article):
                raise PermissionDenied
            return view(self, request, article, **kwargs)

        return self.admin_site.admin_view(wrapper)

    def _list_view(self, view):
        def wrapper(request):
            if not self.has_view_or_change_permission(request):
                raise PermissionDenied
            return view(self, request)

        return self.admin_site.admin_view(wrapper)

    def get_urls(self):
        pages = [
            path(
                "schedule/",
                self._list_view(admin_views.schedule_overview),
                name="articles_article_schedule",
            ),
            path(
                "tag-autocomplete/",
                self._list_view(admin_views.tag_autocomplete),
                name="articles_article_tag_autocomplete",
            ),
        ]
        pages += [
            path(
                f"<int:object_id>/{route}",
                self._article_view(view),
                name=f"articles_article_{name}",
            )
            for route, view, name in ARTICLE_PAGES
        ]
        return [*pages, *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article, or you may not see it.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return admin_views.history(self, request, article)


# ---------------------------------------------------------------------------
# Sections, proposals, tags
# ---------------------------------------------------------------------------
@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "in_navigation"]
    list_editable = ["position", "in_navigation"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    ordering = ["position", "name"]


@admin.register(ChangeProposal)
class ChangeProposalAdmin(admin.ModelAdmin):
    """Proposed changes to live articles; reviewing one opens its diff against the live text."""

    list_display = ["article", "proposed_by", "created_at", "status", "review"]
    list_filter = ["status"]
    list_select_related = ["article", "proposed_by"]
    search_fields = ["article__title"]
    ordering = ["-created_at"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if policies.is_editor(request.user):
            return queryset
        return queryset.filter(proposed_by=request.user)

    def has_add_permission(self, request):
        return False  # proposed from the article ("Propose a change")

    def has_change_permission(self, request, obj=None):
        return False  # decided on the review page, through the service

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="")
    def review(self, proposal):
        url = reverse("admin:articles_article_proposal", args=[proposal.article_id, proposal.pk])
        return format_html('<a href="{}">Review the diff</a>', url)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, unquote(object_id))
        if proposal is None:
            raise Http404
        return HttpResponseRedirect(
            reverse("admin:articles_article_proposal", args=[proposal.article_id, proposal.pk])
        )


class EditorTagAdmin(TaggitTagAdmin):
    """Tags are an editors' tool: reporters add tags while writing, not here."""

    def has_module_permission(self, request):
        return policies.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return policies.is_editor(request.user)

    def has_add_permission(self, request):
        return policies.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return policies.is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return policies.is_editor(request.user)

    def merge_tags_view(self, request):
        if not policies.is_editor(request.user):
            raise PermissionDenied
        return super().merge_tags_view(request)


admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "The newsroom"

if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)
admin.site.register(Tag, EditorTagAdmin)
