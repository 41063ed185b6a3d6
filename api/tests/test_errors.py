"""Every domain error a service raises reaches API clients in the one error shape, with the
status it carries (core.errors), whichever app raised it."""

import pytest

from api.exceptions import exception_handler
from articles.services.common import EditConflict
from comments.services import CommentsClosed
from core.errors import Conflict, InvalidInput, NotAllowed, NotFound, RateLimited
from newsletter.services import InvalidEmail


class _StyleRefused(InvalidInput):
    """An app's own refusal the API has never heard of."""


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotAllowed("Editors only."), 403),
        (CommentsClosed("Comments are closed."), 403),
        (NotFound("No such list."), 404),
        (Conflict("Saved meanwhile."), 409),
        (InvalidEmail("Enter a valid email address."), 400),
        (_StyleRefused("Not in the house style."), 400),
    ],
)
def test_domain_errors_answer_with_their_own_status(error, status):
    response = exception_handler(error, {})
    assert response.status_code == status
    assert response.data == {"detail": error.message, "errors": {}}
    assert "Retry-After" not in response


def test_field_errors_and_retry_after_travel_with_the_error():
    response = exception_handler(InvalidInput("Fix it.", errors={"email": ["Not valid."]}), {})
    assert response.data == {"detail": "Fix it.", "errors": {"email": ["Not valid."]}}

    response = exception_handler(RateLimited("Slow down.", retry_after=42), {})
    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    assert response.data["detail"] == "Slow down."


def test_an_edit_conflict_is_a_conflict():
    assert issubclass(EditConflict, Conflict)
