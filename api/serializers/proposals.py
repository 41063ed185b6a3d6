"""Proposed changes to live articles."""

from rest_framework import serializers

from .common import ErrorSerializer, StrictSerializer
from .workflow import RevisionUserSerializer


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.get_username()}


class ProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    article = serializers.IntegerField(source="article_id")
    status = serializers.CharField()
    base_version = serializers.IntegerField(
        help_text="The article's version the change was proposed against."
    )
    data = serializers.DictField(
        child=serializers.CharField(allow_blank=True), help_text="The proposed field values."
    )
    proposed_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    decided_by = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(allow_null=True)

    def get_proposed_by(self, proposal) -> RevisionUserSerializer(allow_null=True):
        return _person(proposal.proposed_by)

    def get_decided_by(self, proposal) -> RevisionUserSerializer(allow_null=True):
        return _person(proposal.decided_by)


class ProposalWriteSerializer(StrictSerializer):
    """The fields a reporter may propose for a live article; at least one."""

    title = serializers.CharField(required=False, max_length=300)
    dek = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    body = serializers.CharField(required=False, allow_blank=True, max_length=500_000)
    seo_title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    meta_description = serializers.CharField(required=False, allow_blank=True, max_length=320)
    credit_line = serializers.CharField(required=False, allow_blank=True, max_length=300)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Propose at least one field.")
        return attrs


class ProposalDecisionSerializer(StrictSerializer):
    substantive = serializers.BooleanField(
        required=False, default=False, help_text='Accepting: move the "Updated" time readers see.'
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Rejecting: why."
    )


class ProposalChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    base = serializers.CharField(
        allow_null=True, help_text="The text the proposal was based on (null: not known)."
    )
    current = serializers.CharField(help_text="The text now.")


class ProposalConflictInfoSerializer(serializers.Serializer):
    base_version = serializers.IntegerField()
    current_version = serializers.IntegerField()
    changed_by = serializers.CharField()
    changed_at = serializers.DateTimeField()
    changes = ProposalChangeSerializer(many=True)


class ProposalConflictErrorSerializer(ErrorSerializer):
    """409 on accepting a proposal whose fields someone changed since it was made."""

    conflict = ProposalConflictInfoSerializer()
