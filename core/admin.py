"""The admin-to-service bridge: admin saves go through the apps' services, and a service's
refusal is shown on the change form that holds the user's input, so nothing typed is lost."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from .errors import DomainError
from .text import clean_model_text


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
    if isinstance(error, DomainError) and error.errors:
        return dict(error.errors)
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

    service_errors: tuple[type[Exception], ...] = (DomainError, ValidationError, PermissionDenied)

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


class CleanTextAdminMixin:
    """Admin saves that have no service of their own store text without the characters XML
    cannot carry (core.text), as the services do."""

    def save_model(self, request, obj, form, change):
        clean_model_text(obj)
        super().save_model(request, obj, form, change)
