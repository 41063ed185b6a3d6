"""Bodies of the workflow transitions, and the revision history."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .common import StrictSerializer


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
