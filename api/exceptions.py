"""One error body for every API failure: {"detail": "...", "errors": {"field": ["..."]}}.

``detail`` is a sentence a person can read; ``errors`` names the fields at fault (empty when the
failure is not about a field). Nested fields are joined with dots (``authors.1.id``). Domain
errors raised by the services (core.errors: a role that may not, a step the state does not
allow, too many attempts) carry their own status, so views only call services and let errors
pass through.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from core.errors import DomainError

VALIDATION_DETAIL = "The request is not valid: see errors for each field."


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


def unknown_parameters(names: list[str], accepted: set[str]) -> ApiError:
    """A query parameter the endpoint does not know: a 400 naming it and what is accepted."""
    listed = ", ".join(sorted(accepted)) or "none"
    return ApiError(
        f"Unknown query parameter: {', '.join(names)}. This endpoint accepts: {listed}.",
        status_code=400,
        errors={name: ["Unknown query parameter."] for name in names},
    )


def repeated_parameters(names: list[str]) -> ApiError:
    return ApiError(
        f"Give each query parameter once: {', '.join(names)}.",
        status_code=400,
        errors={name: ["Give this parameter once."] for name in names},
    )


def empty_parameters(names: list[str]) -> ApiError:
    """A query parameter without a value (?section=): a mistake to report, not "no filter"."""
    return ApiError(
        f"Give a value or leave the parameter out: {', '.join(names)}.",
        status_code=400,
        errors={name: ["Give a value or leave this parameter out."] for name in names},
    )


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
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = f"The request body is too large: at most {limit} bytes."
        return _response(detail, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DomainError):
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return _response(exc.message, exc.status, exc.errors, headers)
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
