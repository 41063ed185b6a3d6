import pytest

from core.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
    RateLimited,
    Unavailable,
    wait_text,
)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (DomainError, 400),
        (InvalidInput, 400),
        (NotAllowed, 403),
        (NotFound, 404),
        (Conflict, 409),
        (InvalidTransition, 409),
        (Unavailable, 503),
    ],
)
def test_every_error_carries_its_http_meaning_and_takes_the_same_arguments(error, status):
    refused = error("You cannot do that now.", errors={"title": ["Too long."]})
    assert isinstance(refused, DomainError)
    assert refused.status == status
    assert refused.message == str(refused) == "You cannot do that now."
    assert refused.errors == {"title": ["Too long."]}
    assert refused.retry_after is None
    assert error().message  # a default sentence a person can read


def test_rate_limited_says_when_to_try_again():
    refused = RateLimited(retry_after=90)
    assert refused.status == 429
    assert refused.retry_after == 90
    assert "90 seconds" in refused.message
    assert RateLimited("Slow down.", retry_after=0).retry_after == 1  # never "now"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1, "1 second"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (90, "90 seconds"),
        (150, "3 minutes"),
        (3600, "1 hour"),
        (3601, "61 minutes"),
        (7300, "3 hours"),
    ],
)
def test_waits_read_at_a_glance(seconds, text):
    assert wait_text(seconds) == text
