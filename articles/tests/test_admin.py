"""The article admin as each role uses it: lists, forms, saving through the services,
permissions and safe concurrent editing."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from articles.admin import views as admin_views
from articles.admin.views import prose_editor_style_hash
from articles.models import Article, Byline, RelatedLink, WorkflowEvent
from articles.tests.admin_helpers import form_fields
from articles.tests.factories import ArticleFactory, SectionFactory
from authors.tests.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
LIST_URL = reverse("admin:articles_article_changelist")
ADD_URL = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def user_for(role):
    return UserFactory(**{role: True})


def open_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return form_fields(response.content)


def post_change(client, article, **changes):
    data = open_form(client, change_url(article))
    data.update(changes)
    return client.post(change_url(article), data)


# ---------------------------------------------------------------------------
# Smoke tests per role
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["reporter", "editor", "moderator", "admin"])
def test_every_staff_role_can_open_the_article_list(client, role):
    published = ArticleFactory(published=True, title="Harbour reopens")
    client.force_login(user_for(role))
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert published.title in response.text


@pytest.mark.parametrize("role", ["reporter", "editor", "admin"])
def test_writers_can_open_the_add_form_with_the_rich_text_editor(client, role):
    client.force_login(user_for(role))
    response = client.get(ADD_URL)
    assert response.status_code == 200
    assert "data-django-prose-editor-configurable" in response.text
    assert 'name="bylines-TOTAL_FORMS"' in response.text


def test_moderator_cannot_add_articles(client):
    client.force_login(user_for("moderator"))
    assert client.get(ADD_URL).status_code == 403


def test_moderator_sees_published_articles_read_only(client):
    article = ArticleFactory(published=True)
    client.force_login(user_for("moderator"))
    response = client.get(change_url(article))
    assert response.status_code == 200
    assert 'name="_save"' not in response.text
    data = form_fields(response.content)
    data["title"] = "Moderated"
    assert client.post(change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert article.title != "Moderated"


def test_moderator_and_reporter_do_not_see_other_peoples_unpublished_work(client, reporter):
    ArticleFactory(title="Secret embargoed draft")
    ArticleFactory(scheduled=True, title="Secret scheduled piece")
    own = ArticleFactory(title="My own draft", created_by=reporter)
    for user in (reporter, user_for("moderator")):
        client.force_login(user)
        response = client.get(LIST_URL)
        assert "Secret embargoed draft" not in response.text
        assert "Secret scheduled piece" not in response.text
    client.force_login(reporter)
    assert own.title in client.get(LIST_URL).text


def test_editor_sees_every_article(client, editor):
    ArticleFactory(title="Someone's draft")
    ArticleFactory(scheduled=True, title="A scheduled piece")
    client.force_login(editor)
    response = client.get(LIST_URL)
    assert "Someone&#x27;s draft" in response.text
    assert "A scheduled piece" in response.text


# ---------------------------------------------------------------------------
# Creating and editing through the services
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_add_form_creates_a_draft_with_ordered_bylines_tags_and_related_links(client, role):
    user = user_for(role)
    section = SectionFactory()
    first, second = AuthorFactory(name="Ann Lead"), AuthorFactory(name="Ben Photo")
    target = ArticleFactory(published=True, title="Earlier story")
    client.force_login(user)
    data = open_form(client, ADD_URL)
    data.update(
        {
            "title": "Bridge closes for repairs",
            "slug": "",
            "dek": "Traffic diverted for six weeks.",
            "body": '<p>Work starts <a href="javascript:alert(1)">today</a>.</p>'
            '<script>alert("x")</script><p onclick="steal()">More.</p>',
            "section": str(section.pk),
            "tags": ["Transport", "city hall"],
            "bylines-TOTAL_FORMS": "2",
            "bylines-0-author": str(second.pk),
            "bylines-0-role": "Photos by",
            "bylines-0-position": "2",
            "bylines-1-author": str(first.pk),
            "bylines-1-role": "",
            "bylines-1-position": "1",
            "related_links-TOTAL_FORMS": "2",
            "related_links-0-target": str(target.pk),
            "related_links-0-position": "1",
            "related_links-1-url": "https://example.org/report",
            "related_links-1-title": "The engineers' report",
            "related_links-1-position": "2",
        }
    )
    response = client.post(ADD_URL, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get(title="Bridge closes for repairs")
    assert article.status == Status.DRAFT
    assert article.slug == "bridge-closes-for-repairs"
    assert article.created_by == user
    assert "javascript:" not in article.body
    assert "<script" not in article.body
    assert "onclick" not in article.body
    assert [(b.author.name, b.role) for b in article.bylines.all()] == [
        ("Ann Lead", ""),
        ("Ben Photo", "Photos by"),
    ]
    assert sorted(article.tags.names()) == ["Transport", "city hall"]
    links = list(article.related_links.all())
    assert links[0].target == target
    assert (links[1].url, links[1].title) == ("https://example.org/report", "The engineers' report")
    assert Version.objects.get_for_object(article).count() == 1
    assert WorkflowEvent.objects.filter(article=article, action="create").exists()


def test_add_form_errors_keep_the_input(client, editor):
    client.force_login(editor)
    data = open_form(client, ADD_URL)
    data.update({"title": "", "body": "<p>My careful paragraph.</p>", "section": ""})
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "My careful paragraph." in response.text
    assert not Article.objects.exists()


def test_related_link_needs_an_article_or_a_url_with_a_title(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    response = post_change(
        client,
        article,
        **{"related_links-0-url": "https://example.org/x", "related_links-0-title": ""},
    )
    assert response.status_code == 200
    assert "An external link needs a title." in response.text
    assert not RelatedLink.objects.filter(article=article).exists()


def test_service_refusal_is_shown_on_the_form_and_nothing_is_saved(client, editor):
    article = ArticleFactory(title="Original title")
    client.force_login(editor)
    response = post_change(
        client,
        article,
        title="A title the editor typed",
        **{"related_links-0-target": str(article.pk)},
    )
    assert response.status_code == 200
    assert "An article cannot be related to itself." in response.text
    assert "A title the editor typed" in response.text
    article.refresh_from_db()
    assert article.title == "Original title"


def test_change_form_saves_a_revision_with_the_note(client, editor):
    article = ArticleFactory(published=True, title="Old headline")
    client.force_login(editor)
    response = post_change(client, article, title="New headline", change_note="Sharper headline")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "New headline"
    assert article.last_edited_by == editor
    assert article.version == 2
    latest = Version.objects.get_for_object(article).first()
    assert latest.revision.get_comment() == "Sharper headline"
    assert latest.revision.user == editor


def test_substantive_update_moves_the_updated_time_and_a_typo_fix_does_not(client, editor):
    article = ArticleFactory(published=True)
    client.force_login(editor)
    post_change(client, article, title="Typo fixed")
    article.refresh_from_db()
    assert article.updated_at is None
    post_change(client, article, body="<p>New facts.</p>", substantive="on")
    article.refresh_from_db()
    assert article.updated_at is not None


def test_bylines_can_be_reordered_and_removed(client, editor):
    first, second = AuthorFactory(name="First"), AuthorFactory(name="Second")
    article = ArticleFactory(authors=[first, second])
    client.force_login(editor)
    response = post_change(
        client,
        article,
        **{"bylines-0-position": "5", "bylines-1-position": "1", "bylines-2-author": ""},
    )
    assert response.status_code == 302
    assert [b.author.name for b in article.bylines.all()] == ["Second", "First"]
    response = post_change(client, article, **{"bylines-0-DELETE": "on"})
    assert response.status_code == 302
    assert [b.author.name for b in Byline.objects.filter(article=article)] == ["First"]


def test_untouched_bylines_are_not_rewritten(client, editor):
    article = ArticleFactory(authors=[AuthorFactory()])
    byline_id = article.bylines.get().pk
    client.force_login(editor)
    assert post_change(client, article, title="Only the title").status_code == 302
    assert article.bylines.get().pk == byline_id


# ---------------------------------------------------------------------------
# Optimistic concurrency
# ---------------------------------------------------------------------------
def test_a_stale_save_names_who_changed_it_and_keeps_the_users_text(client, editor):
    other = UserFactory(editor=True, first_name="Olga", last_name="Other")
    article = ArticleFactory(title="Shared story")
    client.force_login(editor)
    mine = open_form(client, change_url(article))

    client.force_login(other)
    assert post_change(client, article, title="Olga's version").status_code == 302

    client.force_login(editor)
    mine.update(title="My version", body="<p>My long paragraph, typed with care.</p>")
    response = client.post(change_url(article), mine)
    assert response.status_code == 200
    assert "Olga Other changed this article" in response.text
    assert "My version" in response.text
    assert "My long paragraph, typed with care." in response.text
    article.refresh_from_db()
    assert article.title == "Olga's version"

    # The re-rendered form carries the current version: saving again is a deliberate choice.
    again = form_fields(response.content)
    assert again["expected_version"] == str(article.version)
    assert client.post(change_url(article), again).status_code == 302
    article.refresh_from_db()
    assert article.title == "My version"


def test_a_save_without_the_version_field_is_refused(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    data = open_form(client, change_url(article))
    del data["expected_version"]
    data["title"] = "No version"
    assert client.post(change_url(article), data).status_code == 200
    article.refresh_from_db()
    assert article.title != "No version"


# ---------------------------------------------------------------------------
# Reporters
# ---------------------------------------------------------------------------
def test_reporter_edits_own_draft(client, reporter):
    article = ArticleFactory(created_by=reporter)
    client.force_login(reporter)
    assert post_change(client, article, title="Reporter's fix").status_code == 302
    article.refresh_from_db()
    assert article.title == "Reporter's fix"


def test_reporter_cannot_open_others_drafts(client, reporter):
    article = ArticleFactory(title="Not yours")
    client.force_login(reporter)
    response = client.get(change_url(article))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert client.post(change_url(article), {"title": "Taken"}).status_code in {302, 403}
    article.refresh_from_db()
    assert article.title == "Not yours"


def test_reporter_cannot_edit_a_published_article_even_on_its_byline(client, reporter):
    article = ArticleFactory(published=True, authors=[reporter.author_profile])
    client.force_login(reporter)
    response = client.get(change_url(article))
    assert response.status_code == 200
    assert 'name="_save"' not in response.text
    assert "Propose a change" in response.text
    data = form_fields(response.content)
    data["title"] = "Sneaky edit"
    assert client.post(change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert article.title != "Sneaky edit"


def test_reporter_does_not_get_editor_only_fields(client, reporter):
    client.force_login(reporter)
    response = client.get(ADD_URL)
    assert 'name="schedule_at_0"' not in response.text
    assert 'name="unpublish_at_0"' not in response.text


def test_reporter_cannot_delete_and_nobody_deletes_a_published_article(client, reporter, editor):
    draft = ArticleFactory(created_by=reporter)
    published = ArticleFactory(published=True)
    delete = "admin:articles_article_delete"
    client.force_login(reporter)
    assert client.post(reverse(delete, args=[draft.pk]), {"post": "yes"}).status_code == 403
    client.force_login(editor)
    assert client.post(reverse(delete, args=[published.pk]), {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=published.pk).exists()
    assert client.post(reverse(delete, args=[draft.pk]), {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=draft.pk).exists()


# ---------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------
def test_list_shows_bylines_reading_time_and_filters(client, editor):
    author = AuthorFactory(name="Zed Writer")
    article = ArticleFactory(published=True, authors=[author], body="<p>word </p>" * 500)
    ArticleFactory(title="Other story")
    client.force_login(editor)
    response = client.get(LIST_URL, {"author": author.pk})
    assert "Zed Writer" in response.text
    assert f"{article.reading_time} min" in response.text
    assert "Other story" not in response.text
    response = client.get(LIST_URL, {"status__exact": "draft"})
    assert "Other story" in response.text
    assert article.title not in response.text
    response = client.get(LIST_URL, {"q": "harbour"})
    assert response.status_code == 200


def _list_queries(client, count):
    section = SectionFactory()
    authors = [AuthorFactory() for _ in range(3)]
    for _ in range(count):
        ArticleFactory(published=True, section=section, authors=authors, tags=["a", "b"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    return len(queries)


def test_article_list_runs_a_constant_number_of_queries(
    client, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    few = _list_queries(client, 5)
    Article.objects.all().delete()
    many = _list_queries(client, 45)
    assert many == few
    with django_assert_max_num_queries(few):
        client.get(LIST_URL)


def test_editor_change_form_allows_the_editor_script_by_nonce_only(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    response = client.get(change_url(article))
    policy = response["Content-Security-Policy"]
    assert "'nonce-" in policy
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script type="importmap" nonce="{nonce}">' in response.text


def test_editor_pages_allow_the_stylesheet_of_the_installed_editor_by_hash(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    policy = client.get(change_url(article))["Content-Security-Policy"]
    style_src = next(d for d in policy.split(";") if d.strip().startswith("style-src"))
    assert prose_editor_style_hash() in style_src.split()
    assert "unsafe-inline" not in style_src


def test_an_editor_whose_injected_stylesheet_cannot_be_found_fails_loudly(monkeypatch, tmp_path):
    """If an upgrade of django-prose-editor bundles tiptap's stylesheet differently, the
    policy cannot follow: say so instead of letting the editor break under the CSP."""
    for script in ("export const x = 1;", "let a=`.ProseMirror {}`, b=`.ProseMirror {}`;"):
        bundle = tmp_path / "editor.js"
        bundle.write_text(script)
        monkeypatch.setattr(admin_views.finders, "find", lambda path, found=bundle: str(found))
        prose_editor_style_hash.cache_clear()
        with pytest.raises(ImproperlyConfigured, match="injected stylesheet"):
            prose_editor_style_hash()
    prose_editor_style_hash.cache_clear()
