from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.html import format_html

from .models import Author
from .services import AUTHOR_FIELDS, author_create, author_update


# ---------------------------------------------------------------------------
# Saving through services (shared with the articles admin)
# ---------------------------------------------------------------------------
class ServiceRefused(Exception):
    """A service refused an admin save; carries the error to show on the re-rendered form."""

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


def error_messages(error: Exception) -> dict[str, list[str]]:
    """A service error as {field or NON_FIELD_ERRORS: [messages]}."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return {field: list(ValidationError(errs).messages) for field, errs in error}
        return {NON_FIELD_ERRORS: list(error.messages)}
    message = getattr(error, "message", None) or str(error) or "This change was refused."
    return {NON_FIELD_ERRORS: [str(message)]}


class ServiceRefusalFormMixin:
    """Shows a service's refusal as form errors, on the form that holds the user's input."""

    service_refusal: Exception | None = None
    # Where a service's error about a name that is not a form field is shown, or how it is
    # labelled among the errors at the top of the form.
    service_error_fields: dict[str, str] = {}
    service_error_labels: dict[str, str] = {}

    def clean(self):
        cleaned = super().clean()
        if self.service_refusal is not None:
            for name, messages in error_messages(self.service_refusal).items():
                field = self.service_error_fields.get(name, name)
                for message in messages:
                    if field in self.fields:
                        self.add_error(field, message)
                    elif field == NON_FIELD_ERRORS:
                        self.add_error(None, message)
                    else:
                        label = self.service_error_labels.get(field, field.replace("_", " "))
                        self.add_error(None, f"{label.capitalize()}: {message}")
        return cleaned


class StoredFilesFormMixin:
    """A file field the user did not touch is neither assigned again nor validated again:
    Django would read the stored file back (slow on object storage) and a missing file would
    block every other edit."""

    def _untouched_files(self) -> list[str]:
        return [
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.FileField) and name not in self.changed_data
        ]

    def clean(self):
        cleaned = super().clean()
        for name in self._untouched_files():
            cleaned.pop(name, None)
        return cleaned

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | set(self._untouched_files())


class ServiceAdminMixin:
    """Admin saves go through a service instead of ModelAdmin's own save.

    ``save_model`` (or ``save_related``) calls ``run_service``. If the service refuses, the
    transaction of the admin's save rolls back and the change form is rendered again from the
    same POST data with the refusal as form errors, so the user loses nothing they typed.
    """

    service_errors: tuple[type[Exception], ...] = (ValidationError, PermissionDenied)

    def run_service(self, func, **kwargs):
        try:
            return func(**kwargs)
        except self.service_errors as exc:
            raise ServiceRefused(exc) from exc

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            if getattr(request, "_service_refusal", None) is not None:
                raise  # the second pass cannot be refused again: it does not save
            request._service_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form
        return type(form.__name__, (form,), {"service_refusal": refusal})

    def adopt(self, obj, saved) -> None:
        """Make the admin's in-memory object the one the service saved (for messages, logs and
        redirects after the save)."""
        # Copied, not reloaded: reloading an image field reads the stored image back.
        for field in obj._meta.concrete_fields:
            if field.attname in saved.__dict__:
                obj.__dict__[field.attname] = saved.__dict__[field.attname]
        obj._state.adding = False
        obj._state.db = saved._state.db
        obj._state.fields_cache = dict(saved._state.fields_cache)


# ---------------------------------------------------------------------------
# Authors
# ---------------------------------------------------------------------------
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
