"""Inlines of the article form. Their rows are handed to the services by ArticleAdmin; the
formsets never save anything themselves."""

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html

from articles import policy
from articles.models import Byline, Correction, RelatedLink
from articles.policy import ArticlePolicy

from .forms import NewCorrectionForm, RelatedLinkInlineForm


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
            return policy.can_create(request.user)
        return ArticlePolicy(request.user, obj).can_edit()

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
        if not correction.pk or not policy.is_editor(getattr(self, "_user", None)):
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
        return obj is not None and policy.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return obj is not None and policy.is_editor(request.user)
