"""OpenAPI pieces shared by the views: documented error responses with examples."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse

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


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Documented error responses for an operation: {status: OpenApiResponse}."""
    responses = {}
    for code in codes:
        if code == 304:
            responses[code] = OpenApiResponse(description=_DESCRIPTIONS[code])
            continue
        example = _EXAMPLES.get(code)
        responses[code] = OpenApiResponse(
            ErrorSerializer,
            description=_DESCRIPTIONS[code],
            examples=[OpenApiExample(str(code), value=example, response_only=True)]
            if example
            else [],
        )
    return responses
