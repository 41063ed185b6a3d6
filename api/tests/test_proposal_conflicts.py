"""Accepting a reporter's proposed change checks it against the version it was proposed on: edits
saved since to the same fields are never overwritten, in the services, the admin and the API."""

import pytest
from django.urls import reverse

from articles.models import ChangeProposal
from articles.services.common import ProposalConflict
from articles.services.editing import article_create, article_update
from articles.services.proposals import change_proposal_accept, change_proposal_create
from articles.services.workflow import article_publish
from articles.tests.factories import SectionFactory

from .conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(editor, reporter):
    article = article_create(
        user=editor,
        title="Tram line opens",
        section=SectionFactory(),
        body="<p>The first tram left at six.</p>",
        bylines=[reporter.author_profile],
    )
    return article_publish(user=editor, article=article)


@pytest.fixture
def proposal(reporter, live):
    return change_proposal_create(
        user=reporter, article=live, data={"title": "Tram line opens on time"}
    )


def edit(editor, article, **data):
    article.refresh_from_db()
    return article_update(user=editor, article=article, data=data, expected_version=None)


def test_a_proposal_on_a_field_changed_since_is_refused_with_what_changed(editor, live, proposal):
    edit(editor, live, title="Tram line opens after delays")

    with pytest.raises(ProposalConflict) as refused:
        change_proposal_accept(user=editor, proposal=proposal)

    assert refused.value.changes == [
        {
            "field": "title",
            "label": "Title",
            "base": "Tram line opens",
            "current": "Tram line opens after delays",
        }
    ]
    live.refresh_from_db()
    proposal.refresh_from_db()
    assert live.title == "Tram line opens after delays"  # nothing overwritten
    assert proposal.status == ChangeProposal.Status.PENDING


def test_edits_to_other_fields_are_kept_when_the_proposal_is_accepted(editor, live, proposal):
    edit(editor, live, dek="Six stops, one line.")

    change_proposal_accept(user=editor, proposal=proposal)

    live.refresh_from_db()
    assert (live.title, live.dek) == ("Tram line opens on time", "Six stops, one line.")


def test_a_proposal_on_an_unchanged_article_is_accepted(editor, live, proposal):
    change_proposal_accept(user=editor, proposal=proposal)
    live.refresh_from_db()
    assert live.title == "Tram line opens on time"


def test_the_admin_shows_the_conflict_and_refuses_to_accept(client, editor, live, proposal):
    edit(editor, live, title="Tram line opens after delays")
    client.force_login(editor)
    page = reverse("admin:articles_article_proposal", args=[live.pk, proposal.pk])

    review = client.get(page).content.decode()
    assert "someone else changed the same fields" in review
    assert "<ins>after delays</ins>" in review

    response = client.post(page, {"decision": "accept"})
    assert response.status_code == 200
    assert "Nothing was overwritten" in response.content.decode()
    live.refresh_from_db()
    assert live.title == "Tram line opens after delays"


def test_the_api_answers_409_with_what_changed(editor, live, proposal):
    edit(editor, live, title="Tram line opens after delays")
    url = f"/api/v1/articles/{live.pk}/proposals/{proposal.pk}/accept/"

    response = token_client(editor).post(url, {}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["errors"] == {} and "Nothing was overwritten" in body["detail"]
    conflict = body["conflict"]
    assert conflict["base_version"] == proposal.base_version
    assert conflict["changed_by"] == "Edna Editor"
    assert conflict["current_version"] > conflict["base_version"]
    assert conflict["changes"] == [
        {
            "field": "title",
            "label": "Title",
            "base": "Tram line opens",
            "current": "Tram line opens after delays",
        }
    ]


def test_the_api_accepts_a_proposal_and_the_reporter_sees_it_decided(
    editor, reporter, live, proposal
):
    url = f"/api/v1/articles/{live.pk}/proposals/{proposal.pk}/accept/"
    assert token_client(editor).post(url, {}, format="json").status_code == 200
    mine = token_client(reporter).get(f"/api/v1/articles/{live.pk}/proposals/").json()
    assert [(p["id"], p["status"]) for p in mine["results"]] == [(proposal.pk, "accepted")]
    live.refresh_from_db()
    assert live.title == "Tram line opens on time"


def test_a_reporter_proposes_through_the_api(reporter, live):
    response = token_client(reporter).post(
        f"/api/v1/articles/{live.pk}/proposals/", {"dek": "Six stops."}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["data"] == {"dek": "Six stops."}
    empty = token_client(reporter).post(f"/api/v1/articles/{live.pk}/proposals/", {}, format="json")
    assert empty.status_code == 400
