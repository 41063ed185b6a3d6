"""Comments and newsletter sign-ups: shapes only; the comments and newsletter services
validate, rate-limit and screen every post exactly as they do for the site's forms."""

from rest_framework import serializers

from comments.models import Flag
from newsletter.selectors import list_list_public

from .common import StrictSerializer


class CommentSerializer(serializers.Serializer):
    """An approved comment, in thread order (parents before their replies)."""

    id = serializers.IntegerField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    depth = serializers.IntegerField(help_text="0 for a comment, 1 for a reply, and so on.")
    author_name = serializers.CharField()
    author_url = serializers.CharField(help_text="May be empty.")
    body = serializers.CharField(help_text="Plain text: escape it before showing it as HTML.")
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)


class CommentPostSerializer(StrictSerializer):
    # Lengths and formats are checked by the comments service, with the form's messages.
    author_name = serializers.CharField(allow_blank=True, trim_whitespace=False)
    author_email = serializers.CharField(allow_blank=True, trim_whitespace=False)
    author_url = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    parent = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="The id of the approved comment this replies to.",
    )
    stamp = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Without a token: the stamp from GET .../comments/stamp/, at least "
        "COMMENTS_MIN_SUBMIT_SECONDS old (as the site's form).",
    )
    homepage = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="A trap for bots, as the site's form has: leave it out or empty.",
    )


class CommentStampSerializer(serializers.Serializer):
    stamp = serializers.CharField(help_text="Send it back with the comment.")
    not_before = serializers.DateTimeField(help_text="Posting earlier is refused as too fast.")
    expires_at = serializers.DateTimeField()


class CommentPostedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=["pending", "approved"],
        help_text="pending: waits for a moderator; approved: visible now.",
    )


class ModerateSerializer(StrictSerializer):
    action = serializers.ChoiceField(choices=["approve", "reject", "spam"])
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ModeratedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class FlagSerializer(StrictSerializer):
    reason = serializers.ChoiceField(choices=Flag.Reason.choices)
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    reporter_email = serializers.CharField(
        required=False, allow_blank=True, help_text="Optional, never shown."
    )


class MessageSerializer(serializers.Serializer):
    detail = serializers.CharField()


class NewsletterSlugField(serializers.ChoiceField):
    """A public newsletter's slug; the schema lists the public newsletters as an enum when it
    is generated (api/schema.py)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages", {"invalid_choice": 'No newsletter is called "{input}".'}
        )
        super().__init__(choices=[], **kwargs)


class NewsletterSlugsField(serializers.ListField):
    """Newsletter slugs, checked against the public newsletters as they are when the post is
    validated (editors add and retire lists): any other slug is a 400 naming it."""

    child = NewsletterSlugField()

    def to_internal_value(self, data):
        self.child.choices = [lst.slug for lst in list_list_public()]
        return super().to_internal_value(data)


class SubscribeSerializer(StrictSerializer):
    email = serializers.CharField(trim_whitespace=False)
    lists = NewsletterSlugsField(
        required=False, max_length=20, help_text="Newsletter slugs; the daily digest when left out."
    )
