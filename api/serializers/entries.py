"""Live coverage entries: what readers and partners get, and what staff send."""

from rest_framework import serializers

from articles.models import Entry, live_entry_path
from articles.policy import ArticlePolicy
from authors.models import Author
from core.links import absolute_url

from .common import ConflictErrorSerializer, StrictSerializer, image_data, public_url_by_slug

STAFF_ENTRY_FIELDS = ("version", "created_by", "updated_by", "permissions")


class EntryAuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.URLField()


class EntryImageSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    alt = serializers.CharField()
    caption = serializers.CharField()


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


class EntryPermissionsSerializer(serializers.Serializer):
    edit = serializers.BooleanField()
    delete = serializers.BooleanField()
    alert = serializers.BooleanField(help_text="Send it as a breaking-news alert.")


def entry_data(entry: Entry, *, staff: bool = False, rules: ArticlePolicy | None = None) -> dict:
    """One entry as the API and the webhooks describe it (authors prefetched); with the
    caller's ``rules`` (staff), what they may do to it now."""
    image = image_data(entry.image, entry.image_width, entry.image_height)
    data = {
        "id": entry.pk,
        "article": entry.article_id,
        "url": absolute_url(live_entry_path(entry.article, entry.pk)),
        "title": entry.title,
        "body": entry.body,
        "authors": [
            {"id": a.pk, "name": a.name, "url": public_url_by_slug(a)} for a in entry.authors.all()
        ],
        "image": {**image, "alt": entry.image_alt, "caption": entry.image_caption}
        if image
        else None,
        "is_key_event": entry.is_key_event,
        "is_pinned": entry.is_pinned,
        "created_at": serializers.DateTimeField().to_representation(entry.created_at),
        "updated_at": serializers.DateTimeField().to_representation(entry.updated_at),
    }
    if staff:
        data["version"] = entry.version
        data["created_by"] = _person(entry.created_by)
        data["updated_by"] = _person(entry.updated_by)
        if rules is not None:
            data["permissions"] = {
                "edit": rules.can_edit_entry(entry),
                "delete": rules.can_delete_entry(entry),
                "alert": rules.can_alert_entry(entry),
            }
    return data


class EntrySerializer(serializers.Serializer):
    """An entry of live coverage (the schema of entry_data)."""

    id = serializers.IntegerField()
    article = serializers.IntegerField(help_text="The article's id.")
    url = serializers.URLField(
        help_text="Its permalink: the live page from this entry down, at #entry-<id>."
    )
    title = serializers.CharField(help_text="May be empty.")
    body = serializers.CharField(help_text="Sanitized HTML.")
    authors = EntryAuthorSerializer(many=True)
    image = EntryImageSerializer(allow_null=True)
    is_key_event = serializers.BooleanField()
    is_pinned = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField(
        required=False, help_text="Staff only: send it back (or the ETag) when you edit."
    )
    created_by = serializers.CharField(required=False, help_text="Staff only.")
    updated_by = serializers.CharField(required=False, help_text="Staff only.")
    permissions = EntryPermissionsSerializer(
        required=False,
        help_text="Staff only: what you may do to this entry now (editors any entry, "
        "reporters their own while the coverage runs).",
    )


class EntryWriteSerializer(StrictSerializer):
    """What staff send to post or edit an entry (images are added in the admin)."""

    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    body = serializers.CharField(
        required=False, help_text="Rich text (HTML); sanitized as article bodies are."
    )
    authors = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=20,
        help_text="Author ids; the poster's own author profile when left out.",
    )
    image_alt = serializers.CharField(required=False, allow_blank=True, max_length=300)
    image_caption = serializers.CharField(required=False, allow_blank=True, max_length=500)
    is_key_event = serializers.BooleanField(required=False)
    is_pinned = serializers.BooleanField(
        required=False, help_text="Pinning an entry unpins the one pinned before."
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="Edits: the version you read (or If-Match)."
    )

    def validate_authors(self, value):
        ids = list(dict.fromkeys(value))
        found = Author.objects.in_bulk(ids)
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(
                f"No such author: {', '.join(str(pk) for pk in missing)}."
            )
        return [found[pk] for pk in ids]


class EntryConflictErrorSerializer(ConflictErrorSerializer):
    """409/412 on an entry edit based on an old version: who changed it, and when."""
