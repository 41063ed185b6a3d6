"""The article admin: the form, the list, and the pages of one article. Saving goes through the
one save service the API also calls (articles.services.saving), never ModelAdmin's own save,
so the admin enforces exactly what the API and the worker do."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone

from articles import policy
from articles.models import Article, Byline, ChangeProposal
from articles.policy import ArticlePolicy
from articles.revisions import versions_for
from articles.services.editing import CONTENT_FIELDS, EDITOR_FIELDS, BylineSpec, RelatedSpec
from articles.services.saving import article_save
from core.admin import ServiceAdminMixin

from . import editorial, live, views
from .actions import EDITOR_ACTIONS, WorkflowActionsMixin
from .displays import ArticleDisplaysMixin
from .filters import AuthorFilter, ScheduleFilter
from .forms import ArticleAdminForm
from .inlines import (
    BylineInline,
    CorrectionInline,
    NewCorrectionInline,
    RelatedLinkInline,
    without_related_buttons,
)
from .workflow import DONE, transitions_for

Status = Article.Status
ADMIN_CSS = "articles/admin/newsroom-admin.css"
LIVE_COMPOSER_JS = "articles/admin/live-composer.js"

# The article's own admin pages: (route under /admin/articles/article/<id>/, view, URL name).
# Article ids are integers; an int converter keeps "<id>/preview/" from swallowing longer paths.
ARTICLE_PAGES = [
    ("preview/", views.preview, "preview"),
    ("history/compare/", views.compare, "compare"),
    ("history/<int:version_id>/preview/", views.revision_preview, "revision_preview"),
    ("history/<int:version_id>/revert/", views.revert, "revert"),
    ("preview-links/", views.preview_links, "preview_links"),
    ("preview-links/<int:link_id>/revoke/", views.preview_link_revoke, "preview_link_revoke"),
    ("propose/", editorial.propose, "propose"),
    ("proposals/<int:proposal_id>/", editorial.proposal_review, "proposal"),
    ("corrections/<int:correction_id>/edit/", editorial.correction_edit, "correction_edit"),
    ("corrections/<int:correction_id>/remove/", editorial.correction_delete, "correction_delete"),
    ("live/open/", live.live_open, "live_open"),
    ("live/end/", live.live_end, "live_end"),
    ("live/remove/", live.live_remove, "live_remove"),
    ("live/entries/", live.entry_post_with_image, "live_entry_post"),
    ("live/entries/<int:entry_id>/", live.entry_edit_with_image, "live_entry_edit"),
]


@admin.register(Article)
class ArticleAdmin(ServiceAdminMixin, WorkflowActionsMixin, ArticleDisplaysMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [BylineInline, RelatedLinkInline, CorrectionInline, NewCorrectionInline]
    list_display = [
        "title", "section", "status_badge", "byline_names", "schedule_time", "last_edited",
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
        return policy.visible_to(request.user, queryset)

    def has_add_permission(self, request):
        return policy.can_create(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return policy.can_edit_some(request.user)
        return ArticlePolicy(request.user, obj).can_edit()

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("articles.delete_article")
        return ArticlePolicy(request.user, obj).can_delete()

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if not policy.is_editor(request.user):
            for name in EDITOR_ACTIONS:
                actions.pop(name, None)
        if not policy.can_edit_some(request.user):
            actions.pop("submit_selected", None)
        return actions

    def get_fieldsets(self, request, obj=None):
        editable = (
            self.has_add_permission(request)
            if obj is None
            else self.has_change_permission(request, obj)
        )
        editor = policy.is_editor(request.user)
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
        if not policy.is_editor(request.user):
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
        fields = CONTENT_FIELDS | EDITOR_FIELDS
        # An edit sends what changed; a new article everything the form holds.
        names = form.changed_data if change else cleaned
        step = request.POST.get("_transition", "")
        article = self.run_service(
            article_save,
            user=request.user,
            article=form.instance if change else None,
            data={
                name: self._field_value(name, cleaned[name])
                for name in names
                if name in fields and name in cleaned
            },
            expected_version=cleaned.get("expected_version"),
            bylines=self._bylines(parts.get("bylines"), only_changed=change),
            related=self._related(parts.get("related"), only_changed=change),
            tags=cleaned.get("tags") if "tags" in form.changed_data or not change else None,
            substantive=cleaned.get("substantive", False),
            comment=cleaned.get("change_note", ""),
            corrections=self._new_corrections(parts.get("new_corrections")),
            step=step,
            publish_at=cleaned.get("schedule_at") if step == "schedule" else None,
        )
        if step:
            request._article_transition = step
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
            BylineSpec(author=data["author"], role=data.get("role") or "")
            for data in self._live_forms(formset)
            if data.get("author")
        ]

    def _related(self, formset, *, only_changed: bool):
        if formset is None or (only_changed and not formset.has_changed()):
            return None
        return [
            RelatedSpec(
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
        rules = ArticlePolicy(user, obj) if obj is not None else None
        context.update(
            workflow_actions=transitions_for(user, obj),
            can_preview=rules is not None and rules.can_preview(),
            can_share_preview=rules is not None and rules.can_share_preview(),
            can_propose=rules is not None and rules.can_propose_change(),
            is_editor=policy.is_editor(user),
            can_open_live=rules is not None and rules.can_open_live(),
            can_end_live=rules is not None and rules.can_end_live(),
            can_remove_live=rules is not None and rules.can_remove_live(),
            can_post_entry=rules is not None and rules.can_post_entry(),
        )
        if obj is not None:
            proposals = obj.change_proposals.filter(status=ChangeProposal.Status.PENDING)
            if not rules.can_decide_proposals():
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
        if obj is not None and obj.is_live_coverage:
            context["media"] += forms.Media(js=[LIVE_COMPOSER_JS])
            # Whom an entry may be signed by (the poster's own profile when none is chosen).
            context["live_authors"] = list(
                policy.authors_visible_to(user)
                .filter(is_active=True)
                .order_by("name")
                .only("pk", "name")
            )
        context["media"] = views.editor_media(request, context.get("media"))
        response = super().render_change_form(request, context, add, change, form_url, obj)
        return views.allow_editor(response)

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
                self._list_view(views.schedule_overview),
                name="articles_article_schedule",
            ),
            path(
                "tag-autocomplete/",
                self._list_view(views.tag_autocomplete),
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
        return views.history(self, request, article)
