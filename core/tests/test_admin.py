"""The admin-to-service bridge: a service's refusal becomes errors on the form the user filled."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from core.admin import ServiceAdminMixin, ServiceRefusalFormMixin, ServiceRefused, error_messages
from core.errors import Conflict, InvalidInput, NotAllowed


def test_every_kind_of_refusal_reads_as_form_errors():
    assert error_messages(ValidationError({"title": ["Too long."]})) == {"title": ["Too long."]}
    assert error_messages(ValidationError("No.")) == {NON_FIELD_ERRORS: ["No."]}
    assert error_messages(NotAllowed("Editors only.")) == {NON_FIELD_ERRORS: ["Editors only."]}
    assert error_messages(InvalidInput("Bad.", errors={"slug": ["Taken."]})) == {"slug": ["Taken."]}
    assert error_messages(PermissionDenied()) == {NON_FIELD_ERRORS: ["This change was refused."]}


def test_domain_errors_are_refusals_the_form_shows():
    def service(**kwargs):
        raise Conflict("Someone else saved first.")

    mixin = ServiceAdminMixin()
    try:
        mixin.run_service(service)
    except ServiceRefused as refused:
        assert isinstance(refused.error, Conflict)
    else:
        raise AssertionError("the refusal was not passed on")


class _Form(ServiceRefusalFormMixin, forms.Form):
    title = forms.CharField()
    service_error_labels = {"byline": "authors"}


def test_a_refusal_lands_on_its_field_or_on_top_of_the_form():
    form = _Form(data={"title": "A title"})
    form.service_refusal = ValidationError(
        {"title": ["Too long."], "byline": ["Pick one."], NON_FIELD_ERRORS: ["Not now."]}
    )
    assert not form.is_valid()
    assert form.errors["title"] == ["Too long."]
    assert form.non_field_errors() == ["Authors: Pick one.", "Not now."]
