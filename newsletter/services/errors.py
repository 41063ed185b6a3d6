"""The newsletter's own refusals (core.errors has the rest): input that names no mailbox or no
newsletter a reader may choose."""

from core.emails import InvalidEmail
from core.errors import InvalidInput

__all__ = ["InvalidChoice", "InvalidEmail"]


class InvalidChoice(InvalidInput):
    """No newsletter, or one that is not open for sign-up, was chosen (400)."""
