"""One error body for every API failure: {"detail": "...", "errors": {"field": ["..."]}}.

``detail`` is a sentence a person can read; ``errors`` names the fields at fault (empty when the
failure is not about a field). Nested fields are joined with dots (``authors.1.id``). Domain
errors raised by the services (a role that may not, a step the article's state does not allow)
become 403 and 409 here, so views only call services and let errors pass through.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

VALIDATION_DETAIL = "The request is not valid: see errors for each field."


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since the version in If-Match."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send If-Match with the ETag you read, or the version you edited."
    default_code = "precondition_required"


class ApiError(exceptions.APIException):
    """An error with extra top-level members beside detail and errors (e.g. ``conflict``)."""

    def __init__(self, detail: str, *, status_code: int, errors=None, extra=None):
        super().__init__(detail)
        self.status_code = status_code
        self.errors = errors or {}
        self.extra = extra or {}


def _domain_status(exc: Exception) -> int | None:
    """The HTTP status of a service's domain error, or None for anything else."""
    from articles.services import EditConflict, InvalidTransition, NotAllowed
    from comments.services import CommentsClosed

    mapping = [(NotAllowed, 403), (EditConflict, 409), (InvalidTransition, 409)]
    mapping += [(CommentsClosed, 403)]
    for cls, code in mapping:
        if isinstance(exc, cls):
            return code
    return None


def _rate_limited(exc: Exception) -> int | None:
    """Seconds to wait when a service refused for going too fast, or None."""
    from comments.services import RateLimited as CommentsRateLimited
    from newsletter.services import RateLimited as SignupRateLimited

    if isinstance(exc, CommentsRateLimited | SignupRateLimited):
        return max(int(exc.retry_after), 1)
    return None


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as {"field.sub.0": ["message", ...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in flatten_errors(value, name).items():
                out.setdefault(field, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out[prefix or api_settings.NON_FIELD_ERRORS_KEY] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if not item:
                    continue
                name = f"{prefix}.{index}" if prefix else str(index)
                for field, messages in flatten_errors(item, name).items():
                    out.setdefault(field, []).extend(messages)
    else:
        out[prefix or api_settings.NON_FIELD_ERRORS_KEY] = [str(detail)]
    return out


def _response(detail: str, status_code: int, errors=None, headers=None, extra=None) -> Response:
    set_rollback()
    data = {"detail": str(detail), "errors": errors or {}}
    data.update(extra or {})
    return Response(data, status=status_code, headers=headers)


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every error in the one shape."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    code = _domain_status(exc)
    if code is not None:
        return _response(getattr(exc, "message", str(exc)), code)
    wait = _rate_limited(exc)
    if wait is not None:
        return _response(exc.message, 429, headers={"Retry-After": str(wait)})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{int(exc.wait + 0.999)}"
    if isinstance(exc, ApiError):
        return _response(exc.detail, exc.status_code, exc.errors, headers, exc.extra)
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        detail = VALIDATION_DETAIL
        general = errors.get(api_settings.NON_FIELD_ERRORS_KEY, [])
        if len(errors) == 1 and len(general) == 1:
            detail = general[0]
        return _response(detail, exc.status_code, errors, headers)
    if isinstance(exc, exceptions.Throttled):
        wait = headers.get("Retry-After")
        detail = "Too many requests." + (f" Try again in {wait} seconds." if wait else "")
        return _response(detail, exc.status_code, None, headers)
    detail = exc.detail
    if isinstance(detail, dict | list):
        return _response(VALIDATION_DETAIL, exc.status_code, flatten_errors(detail), headers)
    return _response(detail, exc.status_code, None, headers)
