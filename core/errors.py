"""Domain errors: a refusal with a message a user can read and the HTTP status it means.

Services raise them; entry points turn them into a form error (the admin, the reader's forms), an
API response in the one error shape (api/exceptions.py maps ``DomainError`` without knowing the
app) or a log line. Every class takes the same arguments: the message first, then keywords.
Apps subclass them where a refusal carries domain meaning (an edit conflict names who and when).
"""

import math


class DomainError(Exception):
    """A request the service refuses; ``status`` is its HTTP meaning (400: not valid as sent)."""

    status: int = 400
    default_message: str = "This request cannot be done as sent."

    def __init__(self, message: str | None = None, *, errors: dict[str, list[str]] | None = None):
        self.message = str(message or self.default_message)
        # Messages per input field ({"email": ["Enter a valid email address."]}), if any.
        self.errors = {field: list(messages) for field, messages in (errors or {}).items()}
        super().__init__(self.message)

    @property
    def retry_after(self) -> int | None:
        """Seconds after which the same request may succeed (only for rate limits)."""
        return None


class InvalidInput(DomainError):
    """What was sent is not valid (400)."""


class NotAllowed(DomainError):
    """The acting user may not do this (403)."""

    status = 403
    default_message = "You are not allowed to do this."


class NotFound(DomainError):
    """The thing asked for does not exist, or is not there for this user (404)."""

    status = 404
    default_message = "Not found."


class Conflict(DomainError):
    """The request conflicts with the current state of what it changes (409)."""

    status = 409
    default_message = "This conflicts with the current state; reload and try again."


class InvalidTransition(Conflict):
    """The object's current state does not allow this step (409)."""


class Unavailable(DomainError):
    """Something this request depends on (a mail server, a remote service) did not answer; the
    same request may succeed later (503)."""

    status = 503
    default_message = "A service this needs did not answer. Please try again in a moment."


class RateLimited(DomainError):
    """Too many attempts; the same request may succeed after ``retry_after`` seconds (429)."""

    status = 429

    def __init__(
        self,
        message: str | None = None,
        *,
        retry_after: int,
        errors: dict[str, list[str]] | None = None,
    ):
        self._retry_after = max(int(retry_after), 1)
        super().__init__(
            message or f"Too many attempts. Please wait {wait_text(self._retry_after)}.",
            errors=errors,
        )

    @property
    def retry_after(self) -> int:
        return self._retry_after


def wait_text(seconds: int) -> str:
    """A wait a person reads at a glance, never shorter than the real one: "40 seconds",
    "3 minutes", "2 hours"."""
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size * 2 or (seconds >= size and seconds % size == 0):
            count = math.ceil(seconds / size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
