"""One spelling per mailbox, so the same reader is one identity for sign-ups, limits and the
suppression list however they type their address.

Syntax and the domain follow the standards through email-validator: the domain is lower-cased
and turned into its ASCII (IDNA 2008, UTS #46) form, so ``Bücher.example``, ``BU\u0308CHER.example``
and ``xn--bcher-kva.example`` are one domain; a quoted local part that needs no quotes loses them
(``"ada"@example.org`` is ``ada@example.org``); one trailing dot of a fully qualified domain is
dropped. The local part is lower-cased too: the standard lets a server tell ``Ada`` from ``ada``,
but no mailbox provider does, and treating them as two would let one reader sign up twice.

Nothing provider-specific is applied: ``ada+news@`` and ``a.da@`` stay different from ``ada@``.
Gmail ignores dots and ``+tags``, many providers do not, and merging two real mailboxes (one
reader's unsubscribe silencing another) is worse than a reader who signs up twice on purpose.

Refused: addresses that cannot be mailed reliably (a non-ASCII local part needs SMTPUTF8, which
not every server on the way accepts), special-use domains (``.invalid``, ``.local``...), domain
literals, and invisible or control characters anywhere.
"""

from email_validator import EmailNotValidError, validate_email

from .errors import InvalidInput

# RFC 5321's limits: 64 octets before the @, 254 in all (what fits in a forward path).
MAX_LOCAL_LENGTH = 64
MAX_LENGTH = 254


class InvalidEmail(InvalidInput):
    """Not an address mail can be sent to (400)."""


def canonical_email(value: str) -> str:
    """The one spelling of the mailbox ``value`` names; InvalidEmail (with a message a reader
    can act on) when it names none."""
    value = (value or "").strip()
    if not value or "@" not in value:
        raise InvalidEmail("Enter a valid email address.")
    if value.endswith(".") and not value.endswith(".."):
        value = value[:-1]  # the root of a fully qualified domain name
    try:
        validated = validate_email(
            value,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_quoted_local=True,
            allow_domain_literal=False,
            allow_display_name=False,
        )
    except EmailNotValidError as exc:
        raise InvalidEmail(f"Enter a valid email address. {exc}") from None
    local, _, domain = validated.ascii_email.rpartition("@")
    email = f"{local.lower()}@{domain.lower()}"
    if len(local) > MAX_LOCAL_LENGTH or len(email) > MAX_LENGTH:
        raise InvalidEmail("Enter a valid email address. This one is too long.")
    return email
