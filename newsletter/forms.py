from django import forms

from core.emails import canonical_email

from .selectors import list_list_public
from .services import DIGEST_LIST_SLUG, InvalidEmail


class SignupForm(forms.Form):
    """The "Stay Connected" box and the sign-up page. Lists are chosen by slug."""

    # Checked by core.emails.canonical_email (clean_email), not Django's EmailField, so the form
    # accepts and refuses exactly what the service and the API do.
    email = forms.CharField(
        label="Your email address",
        max_length=320,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.com"}),
    )
    lists = forms.MultipleChoiceField(
        label="Newsletters",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one newsletter.",
            "invalid_choice": "That newsletter is not available.",
        },
    )
    # A field people never see; bots fill every field they find.
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args, lists=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.public_lists = list(list_list_public() if lists is None else lists)
        self.fields["lists"].choices = [(lst.slug, lst.name) for lst in self.public_lists]
        default = [lst.slug for lst in self.public_lists if lst.slug == DIGEST_LIST_SLUG]
        self.fields["lists"].initial = default or [lst.slug for lst in self.public_lists[:1]]

    def clean_email(self) -> str:
        try:
            return canonical_email(self.cleaned_data["email"])
        except InvalidEmail as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_lists(self) -> list:
        chosen = set(self.cleaned_data["lists"])
        return [lst for lst in self.public_lists if lst.slug in chosen]

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class PreferencesForm(forms.Form):
    lists = forms.MultipleChoiceField(
        label="Send me", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].choices = [(str(c.list.pk), c.list.name) for c in choices]
        self.fields["lists"].initial = [str(c.list.pk) for c in choices if c.subscribed]

    def list_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["lists"]]
