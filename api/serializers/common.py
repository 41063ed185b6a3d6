"""Small shared pieces: public URLs, image URLs, strict write bodies, the error body for the
schema."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.validators import slug_unicode_re
from django.urls import get_script_prefix
from rest_framework import serializers

from core.links import absolute_url


def public_url(obj) -> str:
    """The absolute URL readers use for ``obj`` (its page on the public site)."""
    return absolute_url(obj.get_absolute_url())


# Section and author pages are addressed by slug alone; a list shows the same few of them many
# times over, and reversing a URL costs more than the rest of their representation.
_SLUG_URLS: dict[tuple, str] = {}


def public_url_by_slug(obj) -> str:
    """public_url for models whose page URL depends only on their slug (sections, authors)."""
    key = (obj._meta.label, obj.slug, settings.SITE_URL, get_script_prefix())
    url = _SLUG_URLS.get(key)
    if url is None:
        if len(_SLUG_URLS) > 10_000:
            _SLUG_URLS.clear()
        url = _SLUG_URLS[key] = public_url(obj)
    return url


class SlugRelatedField(serializers.SlugRelatedField):
    """A related object named by its slug. A value no slug can be is "does not exist" without a
    query: PostgreSQL refuses some characters (NUL) with an error of its own."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not slug_unicode_re.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


NOT_A_STRING = "Must be a string, not a number, boolean or list."
NOT_ACCEPTED = "This field is not accepted."


def takes_string(field) -> bool:
    """Whether the schema gives ``field`` as a JSON string (text, a slug, a choice of words, a
    date or time). DRF's CharField would take 0 as "0", its ChoiceField and SlugRelatedField look
    up str(0): for all of them, only a string will do."""
    if isinstance(field, serializers.MultipleChoiceField):
        return False
    if isinstance(field, serializers.ChoiceField):
        return all(isinstance(key, str) for key in field.choices)
    return isinstance(field, _STRING_FIELDS)


_STRING_FIELDS = (
    serializers.CharField,
    serializers.SlugRelatedField,
    serializers.DateTimeField,
    serializers.DateField,
    serializers.TimeField,
)


def string_errors(field, value):
    """Errors for anything but a string where ``field`` (or, inside a list or an object, one of
    its parts) takes a string: a list of messages, a {index or name: errors} dict, or None."""
    if value is None:
        return None
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        found = {
            str(i): e for i, item in enumerate(value) if (e := string_errors(field.child, item))
        }
        return found or None
    if isinstance(field, serializers.Serializer) and isinstance(value, dict):
        found = {
            name: e
            for name, part in field.fields.items()
            if name in value and not part.read_only and (e := string_errors(part, value[name]))
        }
        return found or None
    if takes_string(field) and not isinstance(value, str):
        return [NOT_A_STRING]
    return None


def string_field_names(serializer) -> list[str]:
    """The writable fields of ``serializer`` that take a string, as error names ("tags.0" for
    the items of a list of strings)."""
    names = []
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if takes_string(field):
            names.append(name)
        elif isinstance(field, serializers.ListField) and takes_string(field.child):
            names.append(f"{name}.0")
    return names


class StrictSerializer(serializers.Serializer):
    """A request body. Unknown fields are refused, not ignored; a field given as a string
    takes a JSON string only (0, true or [..] is refused, never read as text)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: [NOT_ACCEPTED] for key in unknown})
            errors = string_errors(self, data)
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def media_url(name: str) -> str:
    url = default_storage.url(name)
    return absolute_url(url)


class ImageSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


def image_data(field_file, width, height) -> dict | None:
    if not field_file:
        return None
    return {"url": media_url(field_file.name), "width": width, "height": height}


class ErrorSerializer(serializers.Serializer):
    """Every error response of the API."""

    detail = serializers.CharField(help_text="What went wrong, in a sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Messages per field ("authors.1.id" for nested ones); empty when the error '
        "is not about a field.",
    )


class ConflictInfoSerializer(serializers.Serializer):
    current_version = serializers.IntegerField()
    changed_by = serializers.CharField()
    changed_at = serializers.DateTimeField()


class ConflictErrorSerializer(ErrorSerializer):
    """409/412 on an edit based on an old version: who changed the article, and when."""

    conflict = ConflictInfoSerializer()
