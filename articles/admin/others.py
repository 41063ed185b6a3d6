"""Sections, proposed changes, tags, and authors as articles.policy lets each user see them."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from articles import policy
from articles.models import ChangeProposal, Section
from articles.services.sections import section_save
from authors.admin import AuthorAdmin
from authors.models import Author
from core.admin import CleanTextAdminMixin, ServiceAdminMixin


@admin.register(Section)
class SectionAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Sections are an editors' tool; saved through the service the API also calls."""

    list_display = ["name", "slug", "position", "in_navigation"]
    list_editable = ["position", "in_navigation"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    ordering = ["position", "name"]

    def has_add_permission(self, request):
        return policy.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return policy.is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return policy.is_editor(request.user) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        saved = self.run_service(section_save, user=request.user, section=obj, data=data)
        self.adopt(obj, saved)


class NewsroomAuthorAdmin(AuthorAdmin):
    """Authors as articles.policy lets each user see them: an inactive author who is only on
    the byline of another desk's embargoed article is not listed to reporters and moderators
    (editors see every author), as in the API."""

    def get_queryset(self, request):
        visible = policy.authors_visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible)


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
        if policy.is_editor(request.user):
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


class EditorTagAdmin(CleanTextAdminMixin, TaggitTagAdmin):
    """Tags are an editors' tool: reporters add tags while writing, not here."""

    def has_module_permission(self, request):
        return policy.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.is_editor(request.user)

    def has_add_permission(self, request):
        return policy.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return policy.is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return policy.is_editor(request.user)

    def merge_tags_view(self, request):
        if not policy.is_editor(request.user):
            raise PermissionDenied
        return super().merge_tags_view(request)


admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "The newsroom"

if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)
admin.site.register(Tag, EditorTagAdmin)
if admin.site.is_registered(Author):
    admin.site.unregister(Author)
admin.site.register(Author, NewsroomAuthorAdmin)
