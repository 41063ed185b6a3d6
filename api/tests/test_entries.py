"""/api/v1/articles/<id>/entries/: public reads of live coverage (newest first, cursors,
?after=), staff writes with the policy's role rules and If-Match, the article saying it is live,
and a key event sent as a breaking-news alert."""

import pytest
from django.test import Client
from django.utils import timezone

from api.tests.conftest import session_client, token_client
from articles.models import Entry
from articles.services import live
from articles.tests.factories import ArticleFactory
from authors.tests.factories import UserFactory
from newsletter.models import Edition, List

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(editor):
    article = ArticleFactory(published=True)
    return live.live_coverage_open(user=editor, article=article)


def url(article, entry=None, tail="") -> str:
    base = f"/api/v1/articles/{article.pk}/entries/"
    return f"{base}{entry.pk}/{tail}" if entry is not None else base


def test_anyone_reads_entries_newest_first_with_cursors_and_after(api, story, reporter):
    posted = [
        live.entry_post(user=reporter, article=story, body=f"<p>Update {n}</p>") for n in range(25)
    ]
    response = api.get(url(story))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")
    assert {f"entries:{story.pk}", f"article:{story.pk}"} <= set(response["xkey"].split())
    data = response.json()
    assert [e["id"] for e in data["results"]] == [e.pk for e in reversed(posted)][:20]
    assert data["results"][0]["authors"][0]["name"] == "Rita Reporter"
    assert "version" not in data["results"][0]
    assert data["next"].startswith("http://testserver/api/v1/") or data["next"].startswith("http")
    second = api.get(data["next"]).json()
    assert [e["id"] for e in second["results"]] == [e.pk for e in reversed(posted)][20:]
    after = api.get(url(story), {"after": posted[22].pk}).json()
    assert [e["id"] for e in after["results"]] == [posted[24].pk, posted[23].pk]
    assert api.get(url(story), {"after": "x"}).status_code == 400
    assert api.get(url(story), {"since": "1"}).status_code == 400


def test_entries_of_unpublished_or_plain_articles_are_404_for_readers(api, editor):
    draft = ArticleFactory(created_by=editor)
    live.live_coverage_open(user=editor, article=draft)
    assert api.get(url(draft)).status_code == 404
    assert token_client(editor).get(url(draft)).status_code == 200
    assert api.get(url(ArticleFactory(published=True))).status_code == 404


def test_the_article_says_whether_it_is_live_and_since_when(api, story, editor):
    data = api.get(f"/api/v1/articles/{story.pk}/").json()
    assert data["is_live"] is True and data["live_since"] and data["live_ended_at"] is None
    live.live_coverage_end(user=editor, article=story)
    listed = token_client(editor).get("/api/v1/articles/").json()["results"]
    (item,) = [a for a in listed if a["id"] == story.pk]
    assert item["is_live"] is False and item["live_ended_at"]


def test_staff_post_and_readers_cannot(api, story, reporter):
    refused = api.post(url(story), {"body": "<p>Hi</p>"}, format="json")
    assert refused.status_code == 401
    response = token_client(reporter).post(
        url(story), {"title": "Landfall", "body": "<p>Now</p>", "is_key_event": True}, format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["title"] == "Landfall" and data["version"] == 1 and data["is_key_event"]
    assert response["Location"].endswith(f"/entries/{data['id']}/")
    assert token_client(reporter).post(url(story), {"title": "x"}, format="json").status_code == 400
    moderator = UserFactory(moderator=True)
    assert (
        token_client(moderator).post(url(story), {"body": "<p>x</p>"}, format="json").status_code
        == 403
    )


def test_posting_to_ended_coverage_is_409(story, editor, reporter):
    live.live_coverage_end(user=editor, article=story)
    response = token_client(reporter).post(url(story), {"body": "<p>Late</p>"}, format="json")
    assert response.status_code == 409


def test_patch_needs_if_match_and_refuses_a_stale_one(story, reporter, editor):
    entry = live.entry_post(user=reporter, article=story, body="<p>One</p>")
    client = token_client(reporter)
    assert client.patch(url(story, entry), {"title": "A"}, format="json").status_code == 428
    etag = client.get(url(story, entry))["ETag"]
    assert etag.startswith('"v1-')
    ok = client.patch(url(story, entry), {"title": "A"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = token_client(editor).patch(
        url(story, entry), {"title": "B"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert stale.json()["conflict"]["changed_by"] == "Rita Reporter"
    by_version = token_client(editor).patch(
        url(story, entry), {"title": "B", "version": 1}, format="json"
    )
    assert by_version.status_code == 409
    assert Entry.objects.get(pk=entry.pk).title == "A"


def test_reporters_change_only_their_own_entries(story, reporter, editor):
    other = UserFactory(reporter=True)
    theirs = live.entry_post(user=other, article=story, body="<p>Theirs</p>")
    client = token_client(reporter)
    refused = client.patch(url(story, theirs), {"title": "Mine now", "version": 1}, format="json")
    assert refused.status_code == 403
    assert client.delete(url(story, theirs)).status_code == 403
    assert token_client(editor).delete(url(story, theirs)).status_code == 204
    assert not Entry.objects.filter(pk=theirs.pk).exists()


def test_staff_see_what_the_policy_lets_them_do_to_each_entry(story, reporter, editor):
    """The composer's edit, delete and alert buttons follow these answers (articles.policy)."""
    other = UserFactory(reporter=True)
    mine = live.entry_post(user=reporter, article=story, body="<p>Mine</p>", is_key_event=True)
    theirs = live.entry_post(user=other, article=story, body="<p>Theirs</p>")

    def permissions(user) -> dict:
        return {
            e["id"]: e["permissions"]
            for e in session_client(user).get(url(story)).json()["results"]
        }

    assert permissions(reporter) == {
        mine.pk: {"edit": True, "delete": True, "alert": False},
        theirs.pk: {"edit": False, "delete": False, "alert": False},
    }
    assert permissions(editor) == {
        mine.pk: {"edit": True, "delete": True, "alert": True},
        theirs.pk: {"edit": True, "delete": True, "alert": False},
    }
    detail = token_client(reporter).get(url(story, theirs)).json()
    assert detail["permissions"] == {"edit": False, "delete": False, "alert": False}
    live.live_coverage_end(user=editor, article=story)
    assert permissions(reporter)[mine.pk] == {"edit": False, "delete": False, "alert": False}
    assert permissions(editor)[theirs.pk]["edit"] is True
    assert "permissions" not in Client().get(url(story)).json()["results"][0]


def test_delete_with_a_stale_if_match_is_412(story, editor):
    entry = live.entry_post(user=editor, article=story, body="<p>One</p>")
    etag = token_client(editor).get(url(story, entry))["ETag"]
    live.entry_update(user=editor, entry=entry, data={"title": "Changed"})
    client = token_client(editor)
    assert client.delete(url(story, entry), HTTP_IF_MATCH=etag).status_code == 412
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_the_composer_posts_with_the_session_and_its_csrf_token(story, reporter):
    client = session_client(reporter)
    refused = client.post(url(story), {"body": "<p>No token</p>"}, format="json")
    assert refused.status_code == 403
    client.get("/admin/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    ok = client.post(
        url(story), {"body": "<p>With token</p>"}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert ok.status_code == 201


def test_an_editor_sends_a_key_event_as_a_breaking_alert_once(story, editor, reporter):
    List.objects.get_or_create(slug="breaking-news", defaults={"name": "Breaking news"})
    key = live.entry_post(
        user=reporter, article=story, title="Landfall", body="<p>It hit.</p>", is_key_event=True
    )
    plain = live.entry_post(user=reporter, article=story, body="<p>Minor</p>")
    assert token_client(reporter).post(url(story, key, "alert/")).status_code == 403
    assert token_client(editor).post(url(story, plain, "alert/")).status_code == 403
    sent = token_client(editor).post(url(story, key, "alert/"))
    assert sent.status_code == 202, sent.json()
    edition = Edition.objects.get(pk=sent.json()["edition"])
    assert edition.subject == "Breaking: Landfall" and edition.kind == Edition.Kind.BREAKING
    assert edition.intro == "It hit." and list(edition.articles.all()) == [story]
    assert edition.status in (Edition.Status.PREPARING, Edition.Status.SENDING)
    assert edition.created_at <= timezone.now()
    assert token_client(editor).post(url(story, key, "alert/")).status_code == 409
