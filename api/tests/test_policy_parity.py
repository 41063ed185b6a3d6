"""One rulebook: for every rule, every role and every state of an article, the admin and the API
answer what articles.policy answers.

Each test asks one question ("may this user see it?", "... publish it?") through the admin's
pages and buttons and through the API's endpoints, as the user, and requires both to give the
policy's answer. The admin is for newsroom staff only: for anyone else it answers "sign in".
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from articles import policy
from articles.models import Article
from articles.policy import ArticlePolicy
from articles.services.editing import article_update
from articles.tests.factories import ArticleFactory
from authors.models import Author
from authors.tests.factories import AuthorFactory, UserFactory

from .conftest import token_client

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "reader",
    "moderator",
    "reporter_author",
    "reporter_other",
    "editor",
    "admin",
]
STATES = ["draft", "in_review", "scheduled", "published", "unpublished", "embargoed"]
SECRET_TAG = "Zeppelin merger"
SECRET_AUTHOR = "Embargo Byline"


def make_user(role):
    if role == "anonymous":
        return AnonymousUser()
    if role == "reader":
        return UserFactory(is_staff=False)
    if role == "admin":
        return UserFactory(admin=True)
    if role.startswith("reporter"):
        return UserFactory(reporter=True)
    return UserFactory(**{role: True})


def make_article(state: str, desk_reporter) -> Article:
    """An article of ``desk_reporter``'s desk (created by them, on their byline)."""
    profile = Author.objects.filter(user=desk_reporter).first()
    bylines = [profile or AuthorFactory(user=desk_reporter)]
    traits = (
        {state: True} if state in {"in_review", "scheduled", "published", "unpublished"} else {}
    )
    tags = []
    if state == "embargoed":
        # Not for readers before its time: a story whose tag and byline alone would tell it.
        traits = {"scheduled": True, "publish_at": timezone.now() + timedelta(days=3)}
        secret = Author.objects.filter(slug="embargo-byline").first()
        bylines.append(
            secret or AuthorFactory(name=SECRET_AUTHOR, slug="embargo-byline", is_active=False)
        )
        tags = [SECRET_TAG]
    return ArticleFactory(created_by=desk_reporter, authors=bylines, tags=tags, **traits)


class Case:
    def __init__(self, role: str, state: str):
        self.role, self.state = role, state
        self.user = make_user(role)
        desk = self.user if role == "reporter_author" else UserFactory(reporter=True)
        self.article = make_article(state, desk)
        self.rules = ArticlePolicy(self.user, self.article)
        self.staff = policy.is_newsroom_staff(self.user)
        self.admin = Client()
        self.api = APIClient()
        if self.user.is_authenticated:
            self.admin.force_login(self.user)
            self.api = token_client(self.user)

    # -- the admin ---------------------------------------------------------------------------
    def admin_get(self, page: str = "change/"):
        return self.admin.get(f"/admin/articles/article/{self.article.pk}/{page}")

    def admin_change_page(self) -> str | None:
        response = self.admin_get()
        return response.content.decode() if response.status_code == 200 else None

    def admin_offers(self, step: str) -> bool:
        page = self.admin_change_page()
        return page is not None and f'name="_transition" value="{step}"' in page

    # -- the API -----------------------------------------------------------------------------
    def api_url(self, suffix: str = "") -> str:
        return f"/api/v1/articles/{self.article.pk}/{suffix}"

    def api_post(self, suffix: str, data=None):
        return self.api.post(self.api_url(suffix), data or {}, format="json")

    def api_lists_it(self) -> bool:
        params = {"status": self.article.status} if self.staff else {}
        response = self.api.get("/api/v1/articles/", params)
        assert response.status_code == 200, response.content
        return self.article.pk in {item["id"] for item in response.json()["results"]}


@pytest.fixture(params=[(r, s) for r in ROLES for s in STATES], ids=lambda p: f"{p[0]}-{p[1]}")
def case(request):
    return Case(*request.param)


def admin_expected(case: Case, answer: bool) -> bool:
    """The admin gives the policy's answer to newsroom staff, and "sign in" to anyone else."""
    return answer and case.staff


def test_view(case):
    expected = case.rules.can_view()
    assert (case.admin_get().status_code == 200) == admin_expected(case, expected)
    assert (case.api.get(case.api_url()).status_code == 200) == expected
    assert case.api_lists_it() == expected


def test_edit(case):
    expected = case.rules.can_edit()
    page = case.admin_change_page()
    assert (page is not None and 'name="title"' in page) == admin_expected(case, expected)
    patch = {"title": "Changed through the API", "version": case.article.version}
    response = case.api.patch(case.api_url(), patch, format="json")
    assert (response.status_code == 200) == expected, response.content


@pytest.mark.parametrize("step", ["submit", "publish", "unpublish"])
def test_workflow_step(case, step):
    expected = getattr(case.rules, f"can_{step}")()
    assert case.admin_offers(step) == admin_expected(case, expected)
    response = case.api_post(f"{step}/")
    assert (response.status_code == 200) == expected, response.content


def test_return_to_draft(case):
    # The API has no return-to-draft step: only the admin offers it.
    assert case.admin_offers("return_to_draft") == admin_expected(
        case, case.rules.can_return_to_draft()
    )


def test_delete(case):
    expected = case.rules.can_delete()
    assert (case.admin_get("delete/").status_code == 200) == admin_expected(case, expected)
    # Articles are withdrawn, never deleted, through the API.
    assert case.api.delete(case.api_url()).status_code == 405


def test_preview(case):
    # Previews are an admin page: the API reads articles as they are (test_view).
    assert (case.admin_get("preview/").status_code == 200) == admin_expected(
        case, case.rules.can_preview()
    )


def test_see_revisions(case):
    expected = case.rules.can_see_revisions()
    assert (case.admin_get("history/").status_code == 200) == admin_expected(case, expected)
    assert (case.api.get(case.api_url("revisions/")).status_code == 200) == expected


def test_propose_change(case):
    expected = case.rules.can_propose_change()
    assert (case.admin_get("propose/").status_code == 200) == admin_expected(case, expected)
    response = case.api_post("proposals/", {"title": "A proposed headline"})
    assert (response.status_code == 201) == expected, response.content


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled", "unpublished", "embargoed"])
@pytest.mark.parametrize("role", ["moderator", "reporter_other"])
def test_another_desks_unpublished_work_is_not_readable_through_the_api(role, state):
    case = Case(role, state)
    assert case.api.get(case.api_url()).status_code == 404
    assert case.api.get(case.api_url("revisions/")).status_code == 404
    assert case.api.get(case.api_url("proposals/")).status_code == 404
    listing = case.api.get("/api/v1/articles/", {"status": case.article.status})
    assert case.article.title not in listing.content.decode()


def test_another_desks_draft_cannot_be_named_as_related():
    reporter, other = UserFactory(reporter=True), UserFactory(reporter=True)
    secret = make_article("draft", other)
    own = make_article("draft", reporter)
    response = token_client(reporter).patch(
        f"/api/v1/articles/{own.pk}/",
        {"related": [secret.pk], "version": own.version},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"related.0": [f"No article has the id {secret.pk}."]}
    with pytest.raises(ValidationError, match=f"No article has the id {secret.pk}"):
        article_update(user=reporter, article=own, data={}, expected_version=None, related=[secret])
    assert not own.related_links.exists()


@pytest.mark.parametrize("role", ROLES)
def test_tags_and_authors_of_an_embargoed_article(role):
    """A tag or an inactive author only on an embargoed article is seen exactly by those who
    may see the article (editors see every tag and author)."""
    case = Case(role, "embargoed")
    expected = case.rules.can_view() or policy.sees_every_article(case.user)
    assert policy.tags_visible_to(case.user).filter(name=SECRET_TAG).exists() == expected
    assert policy.authors_visible_to(case.user).filter(name=SECRET_AUTHOR).exists() == expected
    api_tags = {t["name"] for t in case.api.get("/api/v1/tags/").json()["results"]}
    api_authors = {a["name"] for a in case.api.get("/api/v1/authors/").json()["results"]}
    assert (SECRET_TAG in api_tags) == expected
    assert (SECRET_AUTHOR in api_authors) == expected
    by_tag = case.api.get("/api/v1/articles/", {"tag": "zeppelin-merger"})
    assert (by_tag.status_code == 200) == expected
    by_author = case.api.get("/api/v1/articles/", {"author": "embargo-byline"})
    assert (by_author.status_code == 200) == expected
    if case.staff:
        tags = case.admin.get("/admin/articles/article/tag-autocomplete/", {"term": "Zeppelin"})
        assert (SECRET_TAG in tags.content.decode()) == expected
        listing = case.admin.get("/admin/articles/article/").content.decode()
        assert (SECRET_AUTHOR in listing) == expected
        authors = case.admin.get("/admin/authors/author/").content.decode()
        assert (SECRET_AUTHOR in authors) == expected
    else:
        assert case.admin.get("/admin/articles/article/").status_code == 302


# ---------------------------------------------------------------------------
# docs/security.md shows the policy as one table; it must say what the policy does
# ---------------------------------------------------------------------------
SECURITY_DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
TABLE_START = "<!-- policy table: generated from articles/policy.py, checked by a test -->"
TABLE_END = "<!-- end of policy table -->"
ROLE_HEADINGS = {
    "anonymous": "Anonymous",
    "reader": "Signed-in reader",
    "moderator": "Moderator",
    "reporter_author": "Reporter, own article",
    "reporter_other": "Reporter, another's",
    "editor": "Editor",
    "admin": "Administrator",
}
STATE_CODES = {
    "draft": "D",
    "in_review": "R",
    "scheduled": "S",
    "published": "P",
    "unpublished": "U",
    "embargoed": "E",
}


def policy_table() -> str:
    """The policy's answers as a Markdown table: a row per rule, a column per role, and in each
    cell the states (by code) in which the role may do it."""
    users = {role: make_user(role) for role in ROLES}
    desk = UserFactory(reporter=True)
    articles = {
        (role, state): make_article(state, users[role] if role == "reporter_author" else desk)
        for role in ROLES
        for state in STATES
    }
    lines = [
        "| | " + " | ".join(ROLE_HEADINGS[role] for role in ROLES) + " |",
        "|---" * (len(ROLES) + 1) + "|",
    ]
    for rule, label in policy.RULES.items():
        cells = []
        for role in ROLES:
            allowed = [
                STATE_CODES[state]
                for state in STATES
                if getattr(ArticlePolicy(users[role], articles[role, state]), rule)()
            ]
            cells.append("all" if len(allowed) == len(STATES) else " ".join(allowed) or "no")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_the_table_in_the_security_guide_is_the_policy():
    text = SECURITY_DOC.read_text()
    assert TABLE_START in text and TABLE_END in text, "docs/security.md lost its policy table"
    documented = text.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0].strip()
    expected = policy_table()
    assert documented == expected, (
        "docs/security.md's table differs from articles/policy.py; the policy says:\n" + expected
    )


LIVE_TABLE_START = (
    "<!-- live coverage table: generated from articles/policy.py, checked by a test -->"
)
LIVE_TABLE_END = "<!-- end of live coverage table -->"
LIVE_ROLES = {
    "anonymous": "Anonymous",
    "reader": "Signed-in reader",
    "moderator": "Moderator",
    "reporter": "Reporter",
    "editor": "Editor",
    "admin": "Administrator",
}
COVERAGE_CODES = {"plain": "N", "running": "L", "ended": "E"}


def live_table() -> str:
    """Live coverage of a published article by the reporters' desk: a row per rule, a column
    per role, and in each cell the coverage states (N none yet, L running, E ended) in which
    the role may do it."""
    from articles.models import Entry
    from articles.services import live

    desk_editor = UserFactory(editor=True)
    users = {role: make_user(role) for role in LIVE_ROLES}
    articles = {}
    for coverage in COVERAGE_CODES:
        article = ArticleFactory(published=True, created_by=UserFactory(reporter=True))
        if coverage != "plain":
            live.live_coverage_open(user=desk_editor, article=article)
        articles[coverage] = article
    entries = {}
    for role, user in users.items():
        for coverage, article in articles.items():
            poster = user if user.is_authenticated else None
            own = Entry.objects.create(article=article, body="<p>x</p>", created_by=poster)
            other = Entry.objects.create(
                article=article, body="<p>x</p>", created_by=desk_editor, is_key_event=True
            )
            entries[role, coverage] = {"own": own, "other": other}
    live.live_coverage_end(user=desk_editor, article=articles["ended"])
    articles = {k: Article.objects.get(pk=a.pk) for k, a in articles.items()}
    lines = [
        "| | " + " | ".join(LIVE_ROLES.values()) + " |",
        "|---" * (len(LIVE_ROLES) + 1) + "|",
    ]
    for rule, whose, label in policy.LIVE_RULES:
        cells = []
        for role, user in users.items():
            allowed = []
            for coverage, code in COVERAGE_CODES.items():
                if whose and coverage == "plain":
                    continue  # no entries without coverage
                rules = ArticlePolicy(user, articles[coverage])
                args = [entries[role, coverage][whose]] if whose else []
                answer = getattr(rules, rule)(*args)
                if rule == "can_edit_entry":
                    assert rules.can_delete_entry(*args) == answer, (role, coverage, whose)
                if answer:
                    allowed.append(code)
            cells.append(" ".join(allowed) or "no")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_the_live_coverage_table_in_the_security_guide_is_the_policy():
    text = SECURITY_DOC.read_text()
    assert LIVE_TABLE_START in text and LIVE_TABLE_END in text, "the live coverage table is gone"
    documented = text.split(LIVE_TABLE_START, 1)[1].split(LIVE_TABLE_END, 1)[0].strip()
    expected = live_table()
    assert documented == expected, (
        "docs/security.md's live coverage table differs from articles/policy.py; the policy "
        "says:\n" + expected
    )
