"""Previews: the admin's Preview of a draft or a revision, and shareable preview links for
people without an account (signed, pinned or latest, expiring, revocable, never indexed)."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import PreviewLink
from articles.previews import SALT
from articles.services.editing import article_create, article_update
from articles.services.previews import preview_link_create, preview_link_revoke
from articles.services.workflow import article_publish
from articles.tests.factories import SectionFactory
from authors.tests.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db

BANNER = "Preview - not published"


def admin_url(name, *args):
    return reverse(f"admin:articles_article_{name}", args=args)


@pytest.fixture
def draft(editor):
    return article_create(
        user=editor,
        title="Embargoed budget leak",
        section=SectionFactory(),
        body="<p>The first draft paragraph.</p>",
        bylines=[AuthorFactory(name="Pia Byline")],
    )


def assert_private_preview(response):
    assert response.status_code == 200
    assert BANNER in response.content.decode()
    assert "noindex" in response["X-Robots-Tag"]
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["Referrer-Policy"] == "no-referrer"


def share(client, article, pin="revision", hours=48):
    response = client.post(admin_url("preview_links", article.pk), {"pin": pin, "hours": hours})
    assert response.status_code == 302, response.content.decode()[:500]
    link = PreviewLink.objects.filter(article=article).first()
    page = client.get(admin_url("preview_links", article.pk)).content.decode()
    url = re.search(r'value="(http://testserver/preview/[^"]+/)"', page).group(1)
    return link, url.removeprefix("http://testserver")


def edit(editor, article, body):
    article.refresh_from_db()
    return article_update(
        user=editor, article=article, data={"body": body}, expected_version=article.version
    )


# ---------------------------------------------------------------------------
# The admin's Preview
# ---------------------------------------------------------------------------
def test_admin_preview_renders_the_draft_as_readers_will_see_it(client, editor, draft):
    client.force_login(editor)
    response = client.get(admin_url("preview", draft.pk))
    assert_private_preview(response)
    text = response.content.decode()
    assert "Embargoed budget leak" in text
    assert "The first draft paragraph." in text
    assert "Pia Byline" in text


def test_reporter_cannot_preview_others_drafts(client, draft):
    client.force_login(UserFactory(reporter=True))
    assert client.get(admin_url("preview", draft.pk)).status_code == 404


def test_a_drafts_preview_is_not_public(client, draft):
    response = client.get(admin_url("preview", draft.pk))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_revision_preview_shows_that_revisions_text(client, editor, draft):
    first = Version.objects.get_for_object(draft).first()
    edit(editor, draft, "<p>The second draft paragraph.</p>")
    client.force_login(editor)
    response = client.get(admin_url("revision_preview", draft.pk, first.pk))
    assert_private_preview(response)
    assert "The first draft paragraph." in response.content.decode()
    assert "The second draft paragraph." not in response.content.decode()


# ---------------------------------------------------------------------------
# Shared preview links
# ---------------------------------------------------------------------------
def test_shared_link_shows_the_draft_to_anyone_with_the_link(client, editor, draft):
    client.force_login(editor)
    link, path = share(client, draft)
    assert link.expires_at - timezone.now() > timedelta(hours=47)
    client.logout()
    response = client.get(path)
    assert_private_preview(response)
    assert "The first draft paragraph." in response.content.decode()


def test_pinned_link_keeps_showing_the_shared_revision_after_an_edit(client, editor, draft):
    client.force_login(editor)
    _, path = share(client, draft, pin="revision")
    edit(editor, draft, "<p>A rewritten paragraph.</p>")
    text = client.get(path).content.decode()
    assert "The first draft paragraph." in text
    assert "A rewritten paragraph." not in text


def test_latest_link_follows_edits(client, editor, draft):
    client.force_login(editor)
    _, path = share(client, draft, pin="latest")
    edit(editor, draft, "<p>A rewritten paragraph.</p>")
    text = client.get(path).content.decode()
    assert "A rewritten paragraph." in text
    assert "The first draft paragraph." not in text


def test_revoked_link_is_not_found(client, editor, draft):
    client.force_login(editor)
    link, path = share(client, draft)
    response = client.post(admin_url("preview_link_revoke", draft.pk, link.pk))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_by == editor
    client.logout()
    response = client.get(path)
    assert response.status_code == 404
    assert "first draft paragraph" not in response.content.decode()


def test_expired_link_is_not_found(client, editor, draft):
    client.force_login(editor)
    link, path = share(client, draft, hours=1)
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"link": 1}, salt="some.other.salt"),
        signing.dumps({"link": 999999}, salt=SALT),
    ],
    # Signed tokens carry the time: named ids keep every parallel test process in agreement.
    ids=["garbage", "other-salt", "unknown-link"],
)
def test_forged_or_unknown_tokens_are_not_found(client, token):
    assert client.get(reverse("articles:preview", kwargs={"token": token})).status_code == 404


def test_tampered_token_is_not_found(client, editor, draft):
    client.force_login(editor)
    link, path = share(client, draft)
    other = article_create(user=editor, title="Other", section=SectionFactory())
    token = path.split("/")[2]
    payload, signature = token.rsplit(":", 1)
    forged = signing.dumps({"link": link.pk + 1000}, salt=SALT).rsplit(":", 1)[0]
    assert client.get(f"/preview/{forged}:{signature}/").status_code == 404
    assert client.get(f"/preview/{payload}:{'A' * len(signature)}/").status_code == 404
    assert other.pk  # a second article exists, so a guessable id would have found something


def test_preview_link_answers_only_get_and_head(client, editor, draft):
    client.force_login(editor)
    _, path = share(client, draft)
    assert client.post(path).status_code == 405


def test_link_list_shows_state_and_lifetime_is_bounded(client, editor, draft):
    client.force_login(editor)
    link, _ = share(client, draft)
    preview_link_revoke(user=editor, link=link)
    page = client.get(admin_url("preview_links", draft.pk)).content.decode()
    assert "revoked" in page
    response = client.post(admin_url("preview_links", draft.pk), {"pin": "latest", "hours": 0})
    assert response.status_code == 200
    assert PreviewLink.objects.filter(article=draft).count() == 1


def test_reporter_shares_own_draft_but_cannot_revoke_an_editors_link(client, editor):
    reporter = UserFactory(reporter=True)
    own = article_create(user=reporter, title="Mine", section=SectionFactory())
    client.force_login(reporter)
    mine, _ = share(client, own)
    editors_link, _ = preview_link_create(user=editor, article=own)
    response = client.post(admin_url("preview_link_revoke", own.pk, editors_link.pk))
    assert response.status_code == 403
    editors_link.refresh_from_db()
    assert editors_link.revoked_at is None
    assert client.post(admin_url("preview_link_revoke", own.pk, mine.pk)).status_code == 302


def test_reporter_cannot_share_a_published_article_they_cannot_edit(client):
    reporter = UserFactory(reporter=True)
    article = article_create(user=UserFactory(editor=True), title="Live", section=SectionFactory())
    article_publish(user=UserFactory(editor=True), article=article)
    client.force_login(reporter)
    response = client.post(admin_url("preview_links", article.pk), {"pin": "latest", "hours": 1})
    assert response.status_code == 403
    assert not PreviewLink.objects.exists()
