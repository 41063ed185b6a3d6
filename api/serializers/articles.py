"""How articles look to API clients, and what a write may send.

Reads: the list shows what a teaser needs; the detail adds the body, reading time, related
articles and corrections. Staff also see status, version and workflow times (``staff`` in the
serializer context). Writes are validated here for shape only; the services decide the rest.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles import policy
from articles.models import Article, Correction, Section
from articles.selectors import related_articles_for
from articles.services.editing import BylineSpec
from core.links import absolute_url

from .common import (
    ImageSerializer,
    SlugRelatedField,
    StrictSerializer,
    image_data,
    media_url,
    public_url,
    public_url_by_slug,
)

STAFF_FIELDS = ("status", "version", "unpublish_at", "created_at", "modified_at")


class SectionRefSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = ["slug", "name", "url"]

    def get_url(self, section) -> str:
        return public_url_by_slug(section)


class TagSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class BylineSerializer(serializers.Serializer):
    """An author on an article, in byline order, with the byline's role label."""

    id = serializers.IntegerField(source="author.id")
    name = serializers.CharField(source="author.name")
    slug = serializers.SlugField(source="author.slug")
    job_title = serializers.CharField(source="author.job_title")
    bio = serializers.CharField(source="author.bio")
    url = serializers.SerializerMethodField()
    photo = serializers.SerializerMethodField()
    role = serializers.CharField(help_text='e.g. "Photos by"; empty for a plain byline.')

    def get_url(self, byline) -> str:
        return public_url_by_slug(byline.author)

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_photo(self, byline):
        author = byline.author
        return image_data(author.photo, author.photo_width, author.photo_height)


def byline_data(byline) -> dict:
    """What BylineSerializer describes, built directly."""
    author = byline.author
    return {
        "id": author.pk,
        "name": author.name,
        "slug": author.slug,
        "job_title": author.job_title,
        "bio": author.bio,
        "url": public_url_by_slug(author),
        "photo": image_data(author.photo, author.photo_width, author.photo_height),
        "role": byline.role,
    }


class HeroImageSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    alt = serializers.CharField()
    caption = serializers.CharField()
    credit = serializers.CharField()
    renditions = serializers.DictField(
        child=serializers.URLField(), help_text="Smaller copies by width in pixels."
    )


class RelatedSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Null for an external link.")
    title = serializers.CharField()
    url = serializers.URLField()
    published_at = serializers.DateTimeField(allow_null=True)
    is_external = serializers.BooleanField()


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["kind", "text", "noted_at"]


class ArticleSummarySerializer(serializers.ModelSerializer):
    """An article in a list."""

    url = serializers.SerializerMethodField()
    section = SectionRefSerializer()
    tags = serializers.SerializerMethodField()
    authors = serializers.SerializerMethodField()
    hero_image = serializers.SerializerMethodField()
    comment_count = serializers.SerializerMethodField()
    # Staff only, so optional in the schema (declared here: read-only fields count as required).
    version = serializers.IntegerField(
        required=False, help_text="Staff only: send it back (or the ETag) when you edit."
    )
    created_at = serializers.DateTimeField(required=False, help_text="Staff only.")
    modified_at = serializers.DateTimeField(required=False, help_text="Staff only.")
    is_live = serializers.BooleanField(
        read_only=True, help_text="Live coverage is running: entries are being posted."
    )
    live_since = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When live coverage opened (null: not live coverage); its entries are at "
        "/api/v1/articles/<id>/entries/.",
    )
    live_ended_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When live coverage ended (null: running)."
    )

    class Meta:
        model = Article
        fields = [
            "id", "url", "slug", "title", "dek", "section", "tags", "authors",
            "publish_at", "published_at", "updated_at", "hero_image",
            "comment_count", "allow_comments", "is_breaking",
            "is_live", "live_since", "live_ended_at", *STAFF_FIELDS,
        ]  # fmt: skip
        extra_kwargs = {
            "status": {"help_text": "Staff only."},
            "unpublish_at": {"help_text": "Staff only."},
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("staff"):
            for name in STAFF_FIELDS:
                data.pop(name, None)
        return data

    def get_url(self, article) -> str:
        return public_url(article)

    @extend_schema_field(TagSerializer(many=True))
    def get_tags(self, article):
        tags = getattr(article, "tag_list", None)
        if tags is None:
            tags = article.tags.all()
        return [{"slug": t.slug, "name": t.name} for t in tags]

    @extend_schema_field(BylineSerializer(many=True))
    def get_authors(self, article):
        # Plain dicts rather than a nested serializer per article: a list of 100 articles
        # spends most of its time here otherwise.
        return [byline_data(byline) for byline in article.bylines.all()]

    @extend_schema_field(HeroImageSerializer(allow_null=True))
    def get_hero_image(self, article):
        image = image_data(article.hero_image, article.hero_image_width, article.hero_image_height)
        if image is None:
            return None
        renditions = article.hero_renditions or {}
        return {
            **image,
            "alt": article.hero_alt,
            "caption": article.hero_caption,
            "credit": article.hero_credit,
            "renditions": {str(width): media_url(name) for width, name in renditions.items()},
        }

    def get_comment_count(self, article) -> int:
        return getattr(article, "comment_count", 0) or 0


class ArticleSerializer(ArticleSummarySerializer):
    """One article, with everything its page shows."""

    reading_time = serializers.IntegerField(read_only=True, help_text="Minutes, at least one.")
    related = serializers.SerializerMethodField()
    corrections = CorrectionSerializer(many=True)

    class Meta(ArticleSummarySerializer.Meta):
        fields = [
            *ArticleSummarySerializer.Meta.fields[:5],
            "body", "credit_line", "reading_time",
            *ArticleSummarySerializer.Meta.fields[5:],
            "related", "corrections", "seo_title", "meta_description", "canonical_url",
        ]  # fmt: skip

    @extend_schema_field(RelatedSerializer(many=True))
    def get_related(self, article):
        return [
            {
                "id": item.article.pk if item.article else None,
                "title": item.title,
                "url": item.url if item.is_external else absolute_url(item.url),
                "published_at": serializers.DateTimeField().to_representation(item.published_at)
                if item.published_at
                else None,
                "is_external": item.is_external,
            }
            for item in related_articles_for(article)
        ]


# ---------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------
@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 1, "description": "An author id."},
            {
                "type": "object",
                "properties": {
                    "id": {"type": "integer", "minimum": 1},
                    "role": {"type": "string", "maxLength": 100},
                },
                "required": ["id"],
                "additionalProperties": False,
            },
        ]
    }
)
class BylineInputField(serializers.Field):
    """An author id, or {"id": 3, "role": "Photos by"}."""

    default_error_messages = {
        "invalid": 'Give an author id or an object {{"id": <author id>, "role": "<label>"}}.',
        "role": "A byline role is text of at most 100 characters.",
    }

    def to_internal_value(self, data):
        role = ""
        if isinstance(data, dict):
            if set(data) - {"id", "role"} or "id" not in data:
                self.fail("invalid")
            role = data.get("role") or ""
            if not isinstance(role, str) or len(role) > 100 or "\x00" in role:
                self.fail("role")
            data = data["id"]
        if isinstance(data, bool) or not isinstance(data, int) or not 0 < data < 2**63:
            self.fail("invalid")
        return {"id": data, "role": role.strip()}

    def to_representation(self, value):
        return value


class ArticleWriteSerializer(StrictSerializer, serializers.ModelSerializer):
    """What POST and PATCH accept. Unknown fields are refused, not ignored."""

    section = SlugRelatedField(
        slug_field="slug",
        queryset=Section.objects.all(),
        help_text="The section's slug.",
        error_messages={"does_not_exist": 'No section has the slug "{value}".'},
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        max_length=50,
        help_text="Tag names; new ones are created.",
    )
    authors = serializers.ListField(
        child=BylineInputField(),
        required=False,
        max_length=20,
        help_text="The byline in order: author ids, or objects with an id and a role label.",
    )
    related = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=20,
        help_text="Ids of related articles, in order.",
    )
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        write_only=True,
        help_text="PATCH: the version you edited (or send If-Match with the ETag instead).",
    )
    substantive = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text='PATCH of a live article: move the "Updated" time readers see.',
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        write_only=True,
        help_text="A note for the revision history.",
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "dek", "body", "section", "tags", "authors", "related",
            "credit_line", "hero_alt", "hero_caption", "hero_credit",
            "seo_title", "meta_description", "canonical_url", "allow_comments", "is_breaking",
            "unpublish_at", "version", "substantive", "comment",
        ]  # fmt: skip
        extra_kwargs = {
            # The service makes slugs unique and reports a clash; no extra query here.
            "slug": {"validators": [], "required": False},
            "body": {"help_text": "HTML; sanitized when saved (scripts and styles removed)."},
            "unpublish_at": {"help_text": "Editors only: withdraw the article at this time."},
        }

    def validate_authors(self, value):
        ids = [item["id"] for item in value]
        request = self.context.get("request")
        found = policy.authors_visible_to(getattr(request, "user", None)).in_bulk(ids)
        errors = {
            str(i): [f"No author has the id {item['id']}."]
            for i, item in enumerate(value)
            if item["id"] not in found
        }
        if errors:
            raise serializers.ValidationError(errors)
        return [BylineSpec(author=found[item["id"]], role=item["role"]) for item in value]

    def validate_related(self, value):
        # Only articles the caller may see: an id of someone else's draft is "no article".
        request = self.context.get("request")
        found = policy.visible_to(getattr(request, "user", None)).in_bulk(value)
        errors = {
            str(i): [f"No article has the id {pk}."]
            for i, pk in enumerate(value)
            if pk not in found
        }
        if errors:
            raise serializers.ValidationError(errors)
        return [found[pk] for pk in value]

    def validate_tags(self, value):
        names = []
        for name in value:
            name = name.strip()
            if name and name.lower() not in {n.lower() for n in names}:
                names.append(name)
        return names
