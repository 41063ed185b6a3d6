"""The permission matrix: every endpoint x every role, by session and by token -> status.

Roles: anonymous, the reporter who wrote the draft (and is on its byline), another reporter,
an editor and a moderator. Each staff role is tried with a session and with a token; the answer
must be the same, because the role, not the way of signing in, decides.
"""

import time

import pytest
from rest_framework.test import APIClient

from articles.services.live import entry_post, live_coverage_open
from articles.services.proposals import change_proposal_create
from articles.tests.factories import ArticleFactory
from authors.tests.factories import AuthorFactory
from comments.forms import form_stamp
from comments.models import Comment
from newsletter.tests.factories import ListFactory

from .conftest import token_client

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reporter", "other_reporter", "editor", "moderator"]

# (name, method, url template, body, {role: status}); {x} are filled from the world below.
ANON, REP, OTHER, ED, MOD = ROLES
MATRIX = [
    ("list articles", "get", "/api/v1/articles/", None, dict.fromkeys(ROLES, 200)),
    ("list drafts", "get", "/api/v1/articles/?status=draft", None,
     {ANON: 400, REP: 200, OTHER: 200, ED: 200, MOD: 200}),
    ("read published", "get", "/api/v1/articles/{published}/", None, dict.fromkeys(ROLES, 200)),
    ("read draft", "get", "/api/v1/articles/{draft}/", None,
     {ANON: 404, REP: 200, OTHER: 404, ED: 200, MOD: 404}),
    ("create article", "post", "/api/v1/articles/", {"title": "New", "section": "city"},
     {ANON: 401, REP: 201, OTHER: 201, ED: 201, MOD: 403}),
    ("edit draft", "patch", "/api/v1/articles/{draft}/", {"dek": "New dek", "version": 1},
     {ANON: 401, REP: 200, OTHER: 404, ED: 200, MOD: 404}),
    ("edit published", "patch", "/api/v1/articles/{published}/", {"dek": "x", "version": 1},
     {ANON: 401, REP: 403, OTHER: 403, ED: 200, MOD: 403}),
    ("submit draft", "post", "/api/v1/articles/{draft}/submit/", {},
     {ANON: 401, REP: 200, OTHER: 404, ED: 200, MOD: 404}),
    ("publish draft", "post", "/api/v1/articles/{draft}/publish/", {},
     {ANON: 401, REP: 403, OTHER: 404, ED: 200, MOD: 404}),
    ("unpublish", "post", "/api/v1/articles/{published}/unpublish/", {},
     {ANON: 401, REP: 403, OTHER: 403, ED: 200, MOD: 403}),
    ("revisions", "get", "/api/v1/articles/{draft}/revisions/", None,
     {ANON: 401, REP: 200, OTHER: 404, ED: 200, MOD: 404}),
    ("revisions of published", "get", "/api/v1/articles/{published}/revisions/", None,
     {ANON: 401, REP: 200, OTHER: 200, ED: 200, MOD: 200}),
    ("list proposals", "get", "/api/v1/articles/{published}/proposals/", None,
     {ANON: 401, REP: 200, OTHER: 200, ED: 200, MOD: 200}),
    ("propose a change", "post", "/api/v1/articles/{published}/proposals/", {"title": "Better"},
     {ANON: 401, REP: 201, OTHER: 403, ED: 403, MOD: 403}),
    ("accept a proposal", "post", "/api/v1/articles/{published}/proposals/{proposal}/accept/",
     {}, {ANON: 401, REP: 403, OTHER: 404, ED: 200, MOD: 404}),
    ("reject a proposal", "post", "/api/v1/articles/{published}/proposals/{proposal}/reject/",
     {}, {ANON: 401, REP: 403, OTHER: 404, ED: 200, MOD: 404}),
    ("live entries", "get", "/api/v1/articles/{live}/entries/", None, dict.fromkeys(ROLES, 200)),
    ("post an entry", "post", "/api/v1/articles/{live}/entries/", {"body": "The ferry left."},
     {ANON: 401, REP: 201, OTHER: 201, ED: 201, MOD: 403}),
    ("read an entry", "get", "/api/v1/articles/{live}/entries/{entry}/", None,
     dict.fromkeys(ROLES, 200)),
    ("edit an entry", "patch", "/api/v1/articles/{live}/entries/{entry}/",
     {"title": "Ferry", "version": 1}, {ANON: 401, REP: 200, OTHER: 403, ED: 200, MOD: 403}),
    ("delete an entry", "delete", "/api/v1/articles/{live}/entries/{entry}/", None,
     {ANON: 401, REP: 204, OTHER: 403, ED: 204, MOD: 403}),
    ("alert a key event", "post", "/api/v1/articles/{live}/entries/{entry}/alert/", {},
     {ANON: 401, REP: 403, OTHER: 403, ED: 202, MOD: 403}),
    ("list authors", "get", "/api/v1/authors/", None, dict.fromkeys(ROLES, 200)),
    ("read author", "get", "/api/v1/authors/{author}/", None, dict.fromkeys(ROLES, 200)),
    ("add author", "post", "/api/v1/authors/", {"name": "Jo Lee"},
     {ANON: 401, REP: 403, OTHER: 403, ED: 201, MOD: 403}),
    ("change author", "patch", "/api/v1/authors/{author}/", {"job_title": "Editor at large"},
     {ANON: 401, REP: 403, OTHER: 403, ED: 200, MOD: 403}),
    ("list sections", "get", "/api/v1/sections/", None, dict.fromkeys(ROLES, 200)),
    ("read section", "get", "/api/v1/sections/city/", None, dict.fromkeys(ROLES, 200)),
    ("add section", "post", "/api/v1/sections/", {"name": "Science", "slug": "science"},
     {ANON: 401, REP: 403, OTHER: 403, ED: 201, MOD: 403}),
    ("change section", "patch", "/api/v1/sections/city/", {"description": "Local news"},
     {ANON: 401, REP: 403, OTHER: 403, ED: 200, MOD: 403}),
    ("list tags", "get", "/api/v1/tags/", None, dict.fromkeys(ROLES, 200)),
    ("read comments", "get", "/api/v1/articles/{published}/comments/", None,
     dict.fromkeys(ROLES, 200)),
    ("comments of a draft", "get", "/api/v1/articles/{draft}/comments/", None,
     dict.fromkeys(ROLES, 404)),
    ("comment stamp", "get", "/api/v1/articles/{published}/comments/stamp/", None,
     dict.fromkeys(ROLES, 200)),
    ("post comment", "post", "/api/v1/articles/{published}/comments/",
     {"author_name": "Sam", "author_email": "sam@example.org", "body": "Well reported.",
      "stamp": "{stamp}"},
     dict.fromkeys(ROLES, 201)),
    ("moderate comment", "post", "/api/v1/comments/{comment}/moderate/", {"action": "reject"},
     {ANON: 401, REP: 403, OTHER: 403, ED: 200, MOD: 200}),
    ("flag comment", "post", "/api/v1/comments/{comment}/flag/", {"reason": "off_topic"},
     dict.fromkeys(ROLES, 202)),
    ("subscribe", "post", "/api/v1/newsletter/subscribe/", {"email": "reader@example.org"},
     dict.fromkeys(ROLES, 202)),
    ("schema", "get", "/api/v1/schema/", None, dict.fromkeys(ROLES, 200)),
    ("docs", "get", "/api/v1/docs/", None, dict.fromkeys(ROLES, 200)),
    ("guide", "get", "/api/v1/guide/", None, dict.fromkeys(ROLES, 200)),
    ("api root", "get", "/api/v1/", None, dict.fromkeys(ROLES, 200)),
    ("unknown path", "get", "/api/v1/nothing-here/", None, dict.fromkeys(ROLES, 404)),
]  # fmt: skip

CASES = [
    pytest.param(name, method, url, body, role, auth, expected[role], id=f"{name}-{role}-{auth}")
    for name, method, url, body, expected in MATRIX
    for role in ROLES
    for auth in (["none"] if role == "anonymous" else ["session", "token"])
]


@pytest.fixture
def world(request, section, reporter, other_reporter, editor, moderator):
    byline = reporter.author_profile
    draft = ArticleFactory(section=section, created_by=reporter, authors=[byline])
    published = ArticleFactory(published=True, section=section, authors=[byline])
    comment = Comment.objects.create(
        article=published,
        author_name="Kim",
        author_email="kim@example.org",
        body="First!",
        status=Comment.Status.APPROVED,
        content_hash="k",
    )
    users = {
        "reporter": reporter,
        "other_reporter": other_reporter,
        "editor": editor,
        "moderator": moderator,
    }
    proposal = change_proposal_create(user=reporter, article=published, data={"dek": "Closer"})
    ListFactory(breaking=True)
    live = live_coverage_open(
        user=editor, article=ArticleFactory(published=True, section=section, authors=[byline])
    )
    entry = entry_post(user=reporter, article=live, body="<p>Ferries stop.</p>", is_key_event=True)
    ids = {
        "draft": draft.pk,
        "published": published.pk,
        "comment": comment.pk,
        "author": AuthorFactory(name="Ana Ruiz", slug="ana").pk,
        "proposal": proposal.pk,
        "live": live.pk,
        "entry": entry.pk,
        # The comment form's stamp, old enough to pass its minimum time.
        "stamp": form_stamp(published.pk, time.time() - 60),
    }
    return users, ids


def _client(users, role: str, auth: str) -> APIClient:
    if role == "anonymous":
        return APIClient()
    if auth == "token":
        return token_client(users[role])
    client = APIClient()
    client.force_login(users[role])
    return client


@pytest.mark.parametrize("name, method, url, body, role, auth, expected", CASES)
def test_permission_matrix(world, name, method, url, body, role, auth, expected):
    users, ids = world
    client = _client(users, role, auth)
    call = getattr(client, method)
    kwargs = {"format": "json"} if body is not None else {}
    if body is not None:
        body = {k: v.format(**ids) if isinstance(v, str) else v for k, v in body.items()}
    response = (
        call(url.format(**ids), body, **kwargs) if body is not None else call(url.format(**ids))
    )
    assert response.status_code == expected, (name, role, auth, response.content[:300])
    if expected >= 400:
        data = response.json()
        assert set(data) >= {"detail", "errors"} and data["detail"]


def test_matrix_covers_every_route():
    """A new endpoint without a row in the matrix fails here."""
    from django.urls import get_resolver, resolve

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route.replace("^", "")

    routes = {r for r in walk(get_resolver().url_patterns) if r.startswith("api/v1/")}
    ids = dict.fromkeys(["draft", "published", "comment", "author", "proposal", "live", "entry"], 1)
    covered = {resolve(url.format(**ids).split("?")[0]).route for _, _, url, _, _ in MATRIX}
    assert len(routes) > 10
    assert routes - covered == set(), "routes without a row in the permission matrix"
