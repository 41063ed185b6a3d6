"""Field rules for comments, shared by the form, the API (through comment_post), the admin
edit form and reports: one set of messages everywhere."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from . import text as comment_text

NOT_ALLOWED = "contains a character that is not allowed"
URL_VALIDATOR = URLValidator(schemes=["http", "https"])
EMAIL_VALIDATOR = EmailValidator()


def invalid_characters(value: str) -> bool:
    """NUL (PostgreSQL refuses it) and lone surrogates (cannot be stored as UTF-8)."""
    return "\x00" in value or any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)


def _clean_name(value: str, errors: dict) -> str:
    value = value or ""
    if invalid_characters(value):
        errors["author_name"] = [f"Your name {NOT_ALLOWED}."]
        return ""
    if comment_text.has_control_characters(value):
        errors["author_name"] = [
            "Your name must be on one line, without control or text-direction characters."
        ]
        return ""
    value = comment_text.clean_line(value)
    length = comment_text.visible_length(value)
    if length == 0:
        errors["author_name"] = ["Please enter your name here."]
    elif length > settings.COMMENTS_NAME_MAX_LENGTH:
        errors["author_name"] = [
            f"Your name can be at most {settings.COMMENTS_NAME_MAX_LENGTH} characters "
            f"(it has {length})."
        ]
    return value


def clean_email(value: str, errors: dict) -> str:
    value = (value or "").strip()
    if not value:
        errors["author_email"] = ["Please enter your email address (it is never published)."]
        return ""
    if invalid_characters(value) or comment_text.has_control_characters(value) or len(value) > 254:
        errors["author_email"] = ["Enter a valid email address."]
        return ""
    try:
        EMAIL_VALIDATOR(value)
    except ValidationError:
        errors["author_email"] = ["Enter a valid email address."]
        return ""
    return value.lower()


def _clean_url(value: str, errors: dict) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    message = "Enter a web address starting with http:// or https://."
    if invalid_characters(value) or comment_text.has_control_characters(value) or " " in value:
        errors["author_url"] = [message]
        return ""
    if "://" not in value and ":" not in value.split("/", 1)[0] and not value.startswith("/"):
        # "example.org/me" is what people type; it means the web.
        value = f"https://{value}"
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in ("http", "https"):
        errors["author_url"] = ["Only http:// and https:// web addresses are allowed."]
        return ""
    if len(value) > 200:
        errors["author_url"] = ["Your web address can be at most 200 characters."]
        return ""
    try:
        URL_VALIDATOR(value)
    except ValidationError:
        errors["author_url"] = [message]
        return ""
    return value


def _clean_body(value: str, errors: dict) -> str:
    value = value or ""
    if invalid_characters(value):
        errors["body"] = [f"Your comment {NOT_ALLOWED} (a NUL byte or a broken character)."]
        return ""
    value = comment_text.clean_body(value)
    length = comment_text.visible_length(value)
    maximum = settings.COMMENTS_BODY_MAX_LENGTH
    if length == 0:
        errors["body"] = ["Please enter your comment!"]
    elif length > maximum:
        errors["body"] = [
            f"Your comment can be at most {maximum:,} characters (it has {length:,})."
        ]
    return value


def comment_validate(
    *, author_name: str, author_email: str, author_url: str, body: str
) -> dict[str, str]:
    """The cleaned fields, or ValidationError with a message per field."""
    errors: dict[str, list[str]] = {}
    cleaned = {
        "author_name": _clean_name(author_name, errors),
        "author_email": clean_email(author_email, errors),
        "author_url": _clean_url(author_url, errors),
        "body": _clean_body(body, errors),
    }
    if errors:
        raise ValidationError(errors)
    return cleaned
