"""Authors, sections and tags as the API shows them, and what editors may write."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Section
from authors.models import Author

from .common import ImageSerializer, StrictSerializer, image_data, public_url

AUTHOR_STAFF_FIELDS = ("email", "is_active")


class AuthorSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    photo = serializers.SerializerMethodField()

    class Meta:
        model = Author
        fields = [
            "id", "name", "slug", "job_title", "bio", "url", "photo",
            "website_url", "twitter_url", "mastodon_url", "linkedin_url", *AUTHOR_STAFF_FIELDS,
        ]  # fmt: skip
        extra_kwargs = {
            "email": {"help_text": "Staff only; never shown to readers."},
            "is_active": {"help_text": "Staff only."},
        }

    def get_fields(self):
        fields = super().get_fields()
        for name in AUTHOR_STAFF_FIELDS:
            fields[name].required = False
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("staff"):
            for name in AUTHOR_STAFF_FIELDS:
                data.pop(name, None)
        return data

    def get_url(self, author) -> str:
        return public_url(author)

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_photo(self, author):
        return image_data(author.photo, author.photo_width, author.photo_height)


class AuthorWriteSerializer(StrictSerializer, serializers.ModelSerializer):
    """Editors: everything but the photo (upload it in the admin) and the login account."""

    class Meta:
        model = Author
        fields = [
            "name", "slug", "job_title", "bio", "email", "website_url", "twitter_url",
            "mastodon_url", "linkedin_url", "is_active",
        ]  # fmt: skip
        extra_kwargs = {"slug": {"validators": [], "required": False}}


class SectionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = ["id", "slug", "name", "description", "url"]

    def get_url(self, section) -> str:
        return public_url(section)


class SectionWriteSerializer(StrictSerializer, serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["name", "slug", "description"]
        # Uniqueness is checked on save, with the model's own message.
        extra_kwargs = {"name": {"validators": []}, "slug": {"validators": []}}


class TagListSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
