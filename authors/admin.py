from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.html import format_html

from core.admin import ServiceAdminMixin, ServiceRefusalFormMixin, StoredFilesFormMixin

from .models import Author
from .services import AUTHOR_FIELDS, author_create, author_update


class AuthorAdminForm(ServiceRefusalFormMixin, StoredFilesFormMixin, forms.ModelForm):
    class Meta:
        model = Author
        fields = sorted(AUTHOR_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields[
                "slug"
            ].help_text = "Part of the author page URL; made from the name if empty."
        if "user" in self.fields:
            self.fields["user"].queryset = (
                get_user_model().objects.filter(is_staff=True).order_by("username")
            )


@admin.register(Author)
class AuthorAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ["name", "job_title", "photo_thumbnail", "article_count", "user", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "job_title", "email"]
    list_select_related = ["user"]
    ordering = ["name"]
    readonly_fields = ["photo_preview", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "bio", "is_active"]}),
        (
            "Photo",
            {
                "fields": ["photo", "photo_preview"],
                "description": "JPEG, PNG or WebP, at most 10 MB. Shown in the author box.",
            },
        ),
        (
            "Contact and social links",
            {
                "fields": ["email", "website_url", "twitter_url", "mastodon_url", "linkedin_url"],
                "description": "The email address is private; the links are shown to readers.",
            },
        ),
        ("Account", {"fields": ["user"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["articles/admin/newsroom-admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_article_count=Count("bylines"))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            # Bylines are given to current authors; former ones stay on their old articles.
            queryset = queryset.filter(is_active=True)
        return queryset, may_have_duplicates

    @admin.display(description="Articles", ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count

    @admin.display(description="Photo")
    def photo_thumbnail(self, obj):
        if not obj.photo:
            return "-"
        return format_html(
            '<img src="{}" alt="" class="nr-thumb" width="40" height="40">', obj.photo.url
        )

    @admin.display(description="Current photo")
    def photo_preview(self, obj):
        if not obj or not obj.photo:
            return "No photo"
        return format_html(
            '<img src="{}" alt="Photo of {}" class="nr-photo-preview">', obj.photo.url, obj.name
        )

    def save_model(self, request, obj, form, change):
        data = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in AUTHOR_FIELDS and name in form.changed_data
        }
        if change:
            saved = self.run_service(author_update, user=request.user, author=obj, data=data)
        else:
            name, account = data.pop("name", ""), data.pop("user", None)
            saved = self.run_service(
                author_create, user=request.user, name=name, account=account, **data
            )
        self.adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        """Authors have no inlines; nothing else is saved behind the service's back."""
