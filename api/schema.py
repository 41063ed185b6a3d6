"""OpenAPI pieces shared by the views: documented error responses with examples, and the
schema class that declares anonymous access wherever the permissions allow it."""

from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, transaction
from django.test import RequestFactory
from django.urls import reverse
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_examples_list, force_instance
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from core.links import absolute_url

from .exceptions import VALIDATION_DETAIL, ApiError, empty_parameters, unknown_parameters
from .pagination import PageNumberPagination
from .serializers.common import (
    NOT_A_STRING,
    NOT_ACCEPTED,
    ConflictErrorSerializer,
    ErrorSerializer,
    StrictSerializer,
    string_field_names,
)

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


# The business rules behind a 400, as examples of the operations they apply to. Examples of
# the rules every operation keeps (unknown and empty query parameters, unknown fields, a
# number where a string belongs) are added by AutoSchema from the operation itself.
def _invalid(errors: dict) -> dict:
    return {"detail": VALIDATION_DETAIL, "errors": errors}


STAFF_ONLY_FILTER = (
    "Staff only filter",
    _invalid({"status": ["Only newsroom staff can filter by status."]}),
)
BAD_DATE_FILTER = (
    "Not a date",
    _invalid({"published_after": ["Enter a valid date/time."]}),
)
UNKNOWN_SECTION = (
    "Unknown section",
    _invalid({"section": ['No section has the slug "sprots".']}),
)
DUPLICATE_COMMENT = (
    "Duplicate comment",
    _invalid({"body": ["You have already posted this comment."]}),
)
_TOO_FAST = "That was quicker than anyone can type. Please check your comment and send it again."
COMMENT_TOO_FAST = ("Posted too fast", {"detail": _TOO_FAST, "errors": {"stamp": [_TOO_FAST]}})
UNKNOWN_NEWSLETTER = (
    "Unknown newsletter",
    _invalid({"lists.0": ['No newsletter is called "sports".']}),
)
# Names the generated examples use for a parameter and a field no operation has.
UNKNOWN_PARAMETER_NAME = "sort"
UNKNOWN_FIELD_NAME = "colour"
_PAGINATION = {PageNumberPagination.page_query_param, PageNumberPagination.page_size_query_param}


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


def _error_body(error: ApiError) -> dict:
    return {"detail": str(error.detail), "errors": error.errors}


class AutoSchema(openapi.AutoSchema):
    """Declares anonymous access (an empty security requirement) on every operation whose
    permissions let an anonymous caller through, asking the permission classes themselves; and
    adds to every documented 400 examples of the rules all operations keep, built from the
    operation's own parameters and body: an unknown or empty query parameter, an unknown field,
    a number where a string belongs."""

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

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        content = (operation or {}).get("responses", {}).get("400", {}).get("content", {})
        if "application/json" in content:
            examples = build_examples_list(self._rule_examples(operation))
            content["application/json"].setdefault("examples", {}).update(examples)
        return operation

    def _rule_examples(self, operation: dict) -> list[OpenApiExample]:
        query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        rules = [
            (
                "Unknown parameter",
                _error_body(unknown_parameters([UNKNOWN_PARAMETER_NAME], set(query))),
            )
        ]
        if query:
            filters = [name for name in query if name not in _PAGINATION]
            rules.append(
                ("Empty parameter", _error_body(empty_parameters([(filters or query)[0]])))
            )
        body = force_instance(self.get_request_serializer()) if "requestBody" in operation else None
        if isinstance(body, StrictSerializer):
            rules.append(("Unknown field", _invalid({UNKNOWN_FIELD_NAME: [NOT_ACCEPTED]})))
            strings = string_field_names(body)
            if strings:
                rules.append(("Not a string", _invalid({strings[0]: [NOT_A_STRING]})))
        return [OpenApiExample(name, value=value, response_only=True) for name, value in rules]


def describe_the_api(result, generator, request, public):
    """POSTPROCESSING_HOOKS: the schema's description, linking the API guide the site serves
    (on SITE_URL, wherever the site runs)."""
    guide = absolute_url(reverse("api:guide"))
    result["info"]["description"] = (
        "Read the news without a token; staff write and publish with one (Authorization: "
        "Token <key>). Operations anyone may call list an empty security requirement ({}). "
        f"The guide, with examples: [{guide}]({guide})."
    )
    return result


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
