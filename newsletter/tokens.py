"""Signed tokens in newsletter links.

Every token is an HMAC over the project's SECRET_KEY with its own salt, so a token for one
purpose never works for another. Tokens contain only ASCII letters, digits and ``.-_:``: they
go into URLs, mail headers and pre-rendered HTML without escaping.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
PREFERENCES_SALT = "newsletter.preferences"


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class ConfirmToken:
    subscriber_id: int
    nonce: str


@dataclass(frozen=True)
class UnsubscribeToken:
    subscriber_id: int
    list_ids: tuple[int, ...]


def token_signer(salt: str) -> signing.Signer:
    """The signer of a link that does not expire. A sender makes one per edition and signs every
    message's tokens with it; the tokens are the same as those of a signer made per call."""
    return signing.Signer(salt=salt, algorithm="sha256")


def confirm_token_make(*, subscriber_id: int, nonce: str) -> str:
    """A confirmation link's token; it expires (NEWSLETTER_CONFIRM_MAX_AGE_DAYS) and the nonce
    in it works once."""
    signer = signing.TimestampSigner(salt=CONFIRM_SALT, algorithm="sha256")
    return signer.sign(f"{subscriber_id}.{nonce}")


def confirm_token_read(token: str) -> ConfirmToken:
    signer = signing.TimestampSigner(salt=CONFIRM_SALT, algorithm="sha256")
    max_age = timedelta(days=settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS)
    try:
        value = signer.unsign(token, max_age=max_age)
        subscriber_id, nonce = value.split(".", 1)
        return ConfirmToken(int(subscriber_id), nonce)
    except (signing.BadSignature, ValueError) as exc:
        raise InvalidToken("This confirmation link is invalid or has expired.") from exc


def unsubscribe_token_make(*, subscriber_id: int, list_ids, signer=None) -> str:
    """The personal unsubscribe token of a message: who, and from which lists. It does not
    expire: an unsubscribe link in an old message must keep working."""
    lists = "-".join(str(pk) for pk in sorted(set(list_ids)))
    return (signer or token_signer(UNSUBSCRIBE_SALT)).sign(f"{subscriber_id}.{lists}")


def unsubscribe_token_read(token: str) -> UnsubscribeToken:
    try:
        value = token_signer(UNSUBSCRIBE_SALT).unsign(token)
        subscriber_id, lists = value.split(".", 1)
        list_ids = tuple(int(pk) for pk in lists.split("-"))
        return UnsubscribeToken(int(subscriber_id), list_ids)
    except (signing.BadSignature, ValueError) as exc:
        raise InvalidToken("This unsubscribe link is invalid.") from exc


def preferences_token_make(*, subscriber_id: int, signer=None) -> str:
    return (signer or token_signer(PREFERENCES_SALT)).sign(str(subscriber_id))


def preferences_token_read(token: str) -> int:
    try:
        return int(token_signer(PREFERENCES_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as exc:
        raise InvalidToken("This preferences link is invalid.") from exc
