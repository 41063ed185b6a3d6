"""Bodies of the workflow transitions, and the revision history."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

NOT_A_STRING = "Must be a string, not a number, boolean or list."


def _string_errors(field, value):
    """Errors for a number or boolean where the schema says string (DRF would take 0 as "0")."""
    if isinstance(field, serializers.CharField) and value is not None:
        return None if isinstance(value, str) else [NOT_A_STRING]
    strings = isinstance(field, serializers.ListField) and isinstance(
        field.child, serializers.CharField
    )
    if strings and isinstance(value, list):
        bad = {str(i): [NOT_A_STRING] for i, item in enumerate(value) if not isinstance(item, str)}
        return bad or None
    return None


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know instead of ignoring them, and anything but a string
    where the schema says string."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {key: ["This field is not accepted."] for key in unknown}
                )
            errors = {
                name: found
                for name, field in self.fields.items()
                if name in data
                and not field.read_only
                and (found := _string_errors(field, data[name]))
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class TransitionSerializer(StrictSerializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="A note for the article's history.",
    )


class PublishSerializer(TransitionSerializer):
    publish_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="ISO 8601 with offset. In the future: schedule; empty or past: publish now.",
    )


class RevisionUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RevisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    created_at = serializers.DateTimeField(source="revision.date_created")
    user = serializers.SerializerMethodField()
    comment = serializers.CharField(source="revision.comment")
    title = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField(help_text="The article's version it recorded.")

    @extend_schema_field(RevisionUserSerializer(allow_null=True))
    def get_user(self, version):
        user = version.revision.user
        if user is None:
            return None
        return {"id": user.pk, "name": user.get_full_name() or user.get_username()}

    def get_title(self, version) -> str:
        return version.field_dict.get("title", "")

    def get_version(self, version) -> int | None:
        return version.field_dict.get("version")
