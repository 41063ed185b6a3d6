"""OpenAPI pieces shared by the views: documented error responses with examples, and the
schema class that declares anonymous access wherever the permissions allow it."""

from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, transaction
from django.test import RequestFactory
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from .serializers.common import ConflictErrorSerializer, ErrorSerializer

_DESCRIPTIONS = {
    304: "Not modified: the ETag in If-None-Match (or If-Modified-Since) is still current.",
    400: "The request is not valid; errors names each field at fault.",
    401: "Authentication is needed: send Authorization: Token <key>.",
    403: "Your role may not do this (or comments are closed); detail says why.",
    404: "Not found, or not visible to you.",
    409: "The article's current state does not allow this step; detail says why.",
    412: "If-Match did not match the current version.",
    428: "Send If-Match or the version field.",
    429: "Too many requests; Retry-After says how many seconds to wait.",
}
_EXAMPLES = {
    400: {"detail": "The request is not valid: see errors for each field.",
          "errors": {"section": ["Object with slug=sprots does not exist."]}},
    401: {"detail": "Authentication credentials were not provided.", "errors": {}},
    403: {"detail": "Only editors can publish articles.", "errors": {}},
    404: {"detail": "Not found.", "errors": {}},
    409: {"detail": "Only published articles can be unpublished; this one is draft.",
          "errors": {}},
    412: {"detail": "If-Match must be one ETag from this API.", "errors": {}},
    428: {"detail": "Send If-Match with the ETag you read, or the version you edited.",
          "errors": {}},
    429: {"detail": "Too many requests. Try again in 42 seconds.", "errors": {}},
}  # fmt: skip

CONFLICT = OpenApiResponse(
    ConflictErrorSerializer,
    description="Someone saved the article after the version you edited; nothing was written.",
    examples=[
        OpenApiExample(
            "Edited meanwhile",
            value={
                "detail": "Ana Ruiz changed this article at 2030-05-04 09:12:44 UTC (now version "
                "5). Your changes were not saved: review their version and apply your edits "
                "again.",
                "errors": {},
                "conflict": {
                    "current_version": 5,
                    "changed_by": "Ana Ruiz",
                    "changed_at": "2030-05-04T09:12:44Z",
                },
            },
            response_only=True,
        )
    ],
)


# The business rules behind a 400, as examples of the operations they apply to.
STAFF_ONLY_FILTER = (
    "Staff-only filter",
    {
        "detail": "The request is not valid: see errors for each field.",
        "errors": {"status": ["Only newsroom staff can filter by status."]},
    },
)
EMPTY_PARAMETER = (
    "Empty parameter",
    {
        "detail": "Give a value or leave the parameter out: section.",
        "errors": {"section": ["Give a value or leave this parameter out."]},
    },
)
DUPLICATE_COMMENT = (
    "Duplicate comment",
    {
        "detail": "The request is not valid: see errors for each field.",
        "errors": {"body": ["You have already posted this comment."]},
    },
)
UNKNOWN_NEWSLETTER = (
    "Unknown newsletter",
    {
        "detail": "The request is not valid: see errors for each field.",
        "errors": {"lists.0": ['No newsletter is called "sports".']},
    },
)
NOT_A_STRING = (
    "Not a string",
    {
        "detail": "The request is not valid: see errors for each field.",
        "errors": {"body": ["Must be a string, not a number, boolean or list."]},
    },
)


def errors(*codes: int, rules: tuple = ()) -> dict[int, OpenApiResponse]:
    """Documented error responses for an operation: {status: OpenApiResponse}. ``rules`` are
    (name, body) examples of the business rules that answer 400 there."""
    responses = {}
    for code in codes:
        if code == 304:
            responses[code] = OpenApiResponse(description=_DESCRIPTIONS[code])
            continue
        example = _EXAMPLES.get(code)
        examples = [OpenApiExample(str(code), value=example, response_only=True)] if example else []
        if code == 400:
            examples += [
                OpenApiExample(name, value=body, response_only=True) for name, body in rules
            ]
        responses[code] = OpenApiResponse(
            ErrorSerializer, description=_DESCRIPTIONS[code], examples=examples
        )
    return responses


class AutoSchema(openapi.AutoSchema):
    """Declares anonymous access (an empty security requirement) on every operation whose
    permissions let an anonymous caller through, asking the permission classes themselves."""

    def get_auth(self):
        auths = super().get_auth()
        if {} not in auths and self._anonymous_allowed():
            auths.append({})
        return auths

    def _anonymous_allowed(self) -> bool:
        request = Request(RequestFactory().generic(self.method, self.path))
        request.user = AnonymousUser()
        try:
            return all(p.has_permission(request, self.view) for p in self.view.get_permissions())
        except APIException:  # NotAuthenticated, PermissionDenied raised instead of False
            return False


class NewsletterSlugFieldExtension(OpenApiSerializerFieldExtension):
    """The public newsletters' slugs as an enum, read when the schema is generated. A database
    without the newsletter tables yet (a deploy check before migrating) gives a plain string."""

    target_class = "api.serializers.comments.NewsletterSlugField"

    def map_serializer_field(self, auto_schema, direction):
        from newsletter.selectors import list_list_public

        try:
            with transaction.atomic():
                slugs = sorted(lst.slug for lst in list_list_public())
        except DatabaseError:
            slugs = []
        return {"type": "string", "enum": slugs} if slugs else {"type": "string"}
