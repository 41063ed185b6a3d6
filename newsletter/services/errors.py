"""The newsletter's own refusals (core.errors has the rest): input that names no mailbox or no
newsletter a reader may choose."""

from core.errors import InvalidInput


class InvalidEmail(InvalidInput):
    """Not an address a newsletter can be sent to (400)."""


class InvalidChoice(InvalidInput):
    """No newsletter, or one that is not open for sign-up, was chosen (400)."""
