"""The reader-facing forms. Field rules live in the services (shared with the API and the
admin); these forms add what only a browser form has: the honeypot and the signed timestamp."""

import functools
import time

from django import forms
from django.conf import settings
from django.core import signing

from .models import Comment, Flag

STAMP_SALT = "newsroom.comments.form"


def form_stamp(article_id: int, now: float | None = None) -> str:
    """A signed "this form was rendered at" for the article, checked on submit."""
    return _signed_stamp(article_id, int(time.time() if now is None else now))


@functools.lru_cache(maxsize=512)
def _signed_stamp(article_id: int, second: int) -> str:
    # The same article and second always sign to the same value: every cached page served in
    # one second shares it instead of signing again.
    return signing.dumps({"a": article_id, "t": second}, salt=STAMP_SALT)


def check_bot_fields(*, article_id: int, homepage: str, stamp: str, now: float | None = None):
    """The checks a person passes without noticing and a posting bot does not: the hidden
    honeypot left empty, and a signed stamp of this article's form that is neither younger than
    anyone types (COMMENTS_MIN_SUBMIT_SECONDS) nor expired. Raises ValidationError with the code
    "honeypot", "stamp", "too_fast" or "expired". The site's form and the API both call it."""
    if homepage:
        raise forms.ValidationError(
            "Your comment could not be accepted. Please leave the last field empty.",
            code="honeypot",
        )
    try:
        signed = signing.loads(stamp or "", salt=STAMP_SALT)
        stamped_article, rendered_at = int(signed["a"]), int(signed["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise forms.ValidationError(
            "The form could not be verified. Please send your comment again.", code="stamp"
        ) from None
    age = (time.time() if now is None else now) - rendered_at
    if stamped_article != article_id:
        raise forms.ValidationError(
            "The form could not be verified. Please send your comment again.", code="stamp"
        )
    if age < settings.COMMENTS_MIN_SUBMIT_SECONDS:
        raise forms.ValidationError(
            "That was quicker than anyone can type. Please check your comment and send it again.",
            code="too_fast",
        )
    if age > settings.COMMENTS_FORM_MAX_AGE:
        raise forms.ValidationError(
            "This form has expired. Please send your comment again.", code="expired"
        )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "required": True,
                "maxlength": 5000,
                "placeholder": "Please enter your comment!",
            }
        ),
    )
    author_name = forms.CharField(
        label="Name",
        required=False,
        strip=False,
        widget=forms.TextInput(
            attrs={
                "required": True,
                "maxlength": 80,
                "autocomplete": "name",
                "placeholder": "Please enter your name here",
            }
        ),
    )
    author_email = forms.CharField(
        label="Email",
        required=False,
        strip=False,
        help_text="Never published.",
        widget=forms.EmailInput(
            attrs={
                "required": True,
                "maxlength": 254,
                "autocomplete": "email",
                "placeholder": "Please enter your email address here",
            }
        ),
    )
    author_url = forms.CharField(
        label="Website",
        required=False,
        strip=False,
        widget=forms.URLInput(
            attrs={"maxlength": 200, "autocomplete": "url", "placeholder": "https://"}
        ),
    )
    notify = forms.BooleanField(
        label="Email me when my comment is published or someone replies to it.",
        required=False,
    )
    remember = forms.BooleanField(
        label="Save my name, email and website in this browser for the next time I comment.",
        required=False,
    )
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    # Rendered hidden; people never fill it, form-filling bots do.
    homepage = forms.CharField(required=False)
    stamp = forms.CharField(required=False)

    def __init__(self, *args, article_id: int, now: float | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.article_id = article_id
        self.now = now

    def clean(self):
        cleaned = super().clean()
        check_bot_fields(
            article_id=self.article_id,
            homepage=cleaned.get("homepage") or "",
            stamp=cleaned.get("stamp") or "",
            now=self.now,
        )
        return cleaned


class FlagForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    reason = forms.ChoiceField(
        label="Why are you reporting this comment?",
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why you are reporting this comment."},
    )
    text = forms.CharField(
        label="Anything moderators should know (optional)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )
    reporter_email = forms.CharField(
        label="Your email (optional, never published)",
        required=False,
        widget=forms.EmailInput(attrs={"maxlength": 254, "autocomplete": "email"}),
    )


class CommentEditForm(forms.ModelForm):
    """The admin's change form: the text a moderator may correct. Saved through comment_edit,
    validated by the same rules as posting (comment_validate), with the same messages."""

    author_name = forms.CharField(
        label="Name", required=False, strip=False, widget=forms.TextInput(attrs={"size": 60})
    )
    author_url = forms.CharField(
        label="Website", required=False, strip=False, widget=forms.TextInput(attrs={"size": 60})
    )
    body = forms.CharField(
        label="Comment", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    note = forms.CharField(
        label="Why this edit",
        required=False,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text="Kept in the moderation log.",
    )

    class Meta:
        model = Comment
        fields = ["author_name", "author_url", "body"]

    def clean(self):
        from .validation import comment_validate

        cleaned = super().clean()
        try:
            comment_validate(
                author_name=cleaned.get("author_name", ""),
                author_email=self.instance.author_email or "erased@invalid.example",
                author_url=cleaned.get("author_url", ""),
                body=cleaned.get("body", ""),
            )
        except forms.ValidationError as exc:
            apply_service_errors(self, exc)
        return cleaned

    def _post_clean(self):
        # No model validation: comment_validate above is the one set of rules.
        pass


def apply_service_errors(form: forms.Form, error) -> None:
    """Put a service ValidationError's messages on the matching fields of ``form``."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def remembered_author(cookie_value: str | None) -> dict[str, str]:
    """The name/email/website a reader asked this browser to remember (their own cookie)."""
    import json
    from urllib.parse import unquote

    if not cookie_value:
        return {}
    try:
        data = json.loads(unquote(cookie_value))
    except (ValueError, TypeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        key: str(data.get(key, ""))[:254]
        for key in ("author_name", "author_email", "author_url")
        if isinstance(data.get(key, ""), str)
    }
