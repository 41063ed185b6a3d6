"""Forms and widgets of the articles admin."""

from functools import reduce
from operator import or_

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime, get_select2_language
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from taggit.models import Tag

from articles.models import Article, Correction
from articles.services.common import EditConflict
from core.admin import ServiceRefusalFormMixin, StoredFilesFormMixin

# What the body editor offers; the server allows the same and more (articles/richtext.py).
BODY_EDITOR = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HardBreak": True,
        "Link": {"enableTarget": True, "protocols": ["http", "https", "mailto"]},
        "History": True,
    }
}
MAX_TAGS = 20
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


def body_field(**kwargs) -> ProseEditorFormField:
    # The editor's output is not trusted: the services sanitize it with nh3 before storing.
    return ProseEditorFormField(config=BODY_EDITOR, widget=AdminProseEditorWidget, **kwargs)


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, in the newsroom's time zone, without JavaScript."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


# ---------------------------------------------------------------------------
# Tags: autocomplete over existing tags, typing a new one creates it
# ---------------------------------------------------------------------------
class TagAutocompleteWidget(forms.SelectMultiple):
    """The admin's select2 autocomplete in "tags" mode: values are tag names, not ids, so a
    name typed that matches no tag is simply a new tag."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs.update(
            {
                "class": (attrs.get("class", "") + " admin-autocomplete").strip(),
                "data-ajax--cache": "true",
                "data-ajax--delay": 250,
                "data-ajax--type": "GET",
                "data-ajax--url": reverse("admin:articles_article_tag_autocomplete"),
                "data-theme": "admin-autocomplete",
                "data-tags": "true",
                "data-token-separators": '[","]',
                "data-allow-clear": "false",
                "data-placeholder": "Type to find or add tags",
                "lang": get_select2_language(),
            }
        )
        return attrs

    def optgroups(self, name, value, attrs=None):
        options = [
            self.create_option(name, tag, tag, True, index) for index, tag in enumerate(value)
        ]
        return [(None, options, 0)]

    def format_value(self, value):
        if value is None:
            return []
        if isinstance(value, str):
            value = value.split(",")
        return [str(v).strip() for v in value if str(v).strip()]

    @property
    def media(self):
        extra = "" if settings.DEBUG else ".min"
        language = get_select2_language()
        i18n = (f"admin/js/vendor/select2/i18n/{language}.js",) if language else ()
        return forms.Media(
            js=(
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                *i18n,
                "admin/js/jquery.init.js",
                "admin/js/autocomplete.js",
            ),
            css={
                "screen": (
                    f"admin/css/vendor/select2/select2{extra}.css",
                    "admin/css/autocomplete.css",
                )
            },
        )


class TagNamesField(forms.Field):
    widget = TagAutocompleteWidget
    default_error_messages = {
        "too_long": "A tag is at most %(max)s characters: “%(tag)s”.",
        "too_many": "At most %(max)s tags per article.",
    }

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = value.split(",")
        names, seen = [], set()
        for raw in value:
            name = " ".join(str(raw).split())
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
        return names

    def validate(self, value):
        super().validate(value)
        for name in value:
            if len(name) > TAG_MAX_LENGTH:
                raise forms.ValidationError(
                    self.error_messages["too_long"],
                    code="too_long",
                    params={"max": TAG_MAX_LENGTH, "tag": name},
                )
        if len(value) > MAX_TAGS:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": MAX_TAGS}
            )

    def clean(self, value):
        names = super().clean(value)
        if not names:
            return names
        # A name typed in another case is the existing tag, not a near-duplicate.
        existing = {
            tag.casefold(): tag
            for tag in Tag.objects.filter(
                reduce(or_, (Q(name__iexact=n) for n in names))
            ).values_list("name", flat=True)
        }
        return [existing.get(name.casefold(), name) for name in names]

    def has_changed(self, initial, data):
        return sorted(self.to_python(initial)) != sorted(self.to_python(data))


# ---------------------------------------------------------------------------
# The article form
# ---------------------------------------------------------------------------
class ArticleAdminForm(ServiceRefusalFormMixin, StoredFilesFormMixin, forms.ModelForm):
    body = body_field(required=False, label="Body")
    tags = TagNamesField(required=False, help_text="Type to search; a new name adds a new tag.")
    schedule_at = forms.SplitDateTimeField(
        label="Publish at",
        required=False,
        widget=AdminSplitDateTime,
        help_text="For the Schedule button: when the article goes live (newsroom time).",
    )
    substantive = forms.BooleanField(
        label="Substantive update",
        required=False,
        help_text='Moves the "Updated" time readers see. Leave unticked for typo fixes.',
    )
    change_note = forms.CharField(
        label="Note for the history",
        required=False,
        max_length=200,
        help_text="Optional: what changed and why; shown in the revision history.",
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    service_error_fields = {"publish_at": "schedule_at"}
    service_error_labels = {"authors": "Bylines", "related": "Related links"}

    class Meta:
        model = Article
        fields = [
            "title", "slug", "dek", "body", "section", "credit_line", "hero_image", "hero_alt",
            "hero_caption", "hero_credit", "unpublish_at", "seo_title", "meta_description",
            "canonical_url", "allow_comments", "is_breaking",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = (
                "Part of the URL; made from the title if empty. Changing it on a published "
                "article keeps the old URL working (it redirects)."
            )
        if instance.pk:
            self.initial.setdefault("tags", [t.name for t in instance.tags.all()])
            self.initial["expected_version"] = instance.version
            if instance.publish_at and "schedule_at" in self.fields:
                self.initial["schedule_at"] = timezone.localtime(instance.publish_at)
            if "expected_version" in self.fields:
                self.fields["expected_version"].required = True
        if "hero_alt" in self.fields:
            self.fields["hero_alt"].help_text = "Required with an image: what it shows."
        if isinstance(self.service_refusal, EditConflict) and self.is_bound:
            # Keep the user's text; saving again now knowingly replaces the other version.
            data = self.data.copy()
            data[self.add_prefix("expected_version")] = str(self.service_refusal.current_version)
            self.data = data


class RelatedLinkInlineForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("DELETE"):
            return cleaned
        target, url, title = cleaned.get("target"), cleaned.get("url"), cleaned.get("title")
        if target and url:
            raise forms.ValidationError("Choose an article or enter a URL, not both.")
        if not target and url and not title:
            self.add_error("title", "An external link needs a title.")
        if not target and not url and (title or self.has_changed()):
            raise forms.ValidationError("Choose an article or enter a URL and a title.")
        return cleaned


class NewCorrectionForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "cols": 60})}


# ---------------------------------------------------------------------------
# Forms of the custom admin pages
# ---------------------------------------------------------------------------
class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(label="Publish at", widget=LocalDateTimeInput)
    comment = forms.CharField(label="Note", required=False, max_length=200)

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value <= timezone.now():
            raise forms.ValidationError("Choose a time in the future.")
        return value


class ProposalForm(forms.Form):
    """A reporter's proposed edit of a live article: the fields reporters may propose."""

    title = forms.CharField(max_length=300)
    dek = forms.CharField(label="Standfirst", required=False, widget=forms.Textarea({"rows": 3}))
    body = body_field(required=False)
    credit_line = forms.CharField(max_length=300, required=False)
    seo_title = forms.CharField(label="SEO title", max_length=300, required=False)
    meta_description = forms.CharField(max_length=320, required=False)


class PreviewLinkForm(forms.Form):
    PIN_CHOICES = [
        ("revision", "This revision: later edits do not show"),
        ("latest", "The latest version: the link follows later edits"),
    ]
    pin = forms.ChoiceField(label="Show", choices=PIN_CHOICES, initial="revision")
    hours = forms.IntegerField(
        label="Valid for (hours)", min_value=1, max_value=24 * 30, initial=48
    )


class CorrectionEditForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["kind", "text"]


class CorrectionDeleteForm(forms.Form):
    reason = forms.CharField(
        label="Why is this note removed?",
        max_length=500,
        widget=forms.Textarea({"rows": 3}),
        help_text="Kept in the article's audit log with the removed text.",
    )


class ProposalDecisionForm(forms.Form):
    substantive = forms.BooleanField(
        label="Substantive update", required=False, help_text='Moves the "Updated" time.'
    )
    comment = forms.CharField(label="Note", required=False, max_length=500)
