"""History, diffs and revert; proposed changes to live articles; correction notes; tags."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, ChangeProposal, Correction, WorkflowEvent
from articles.services.editing import article_create, article_update
from articles.services.proposals import change_proposal_create
from articles.services.workflow import article_publish, article_submit
from articles.tests.admin_helpers import form_fields
from articles.tests.factories import ArticleFactory, CorrectionFactory, SectionFactory
from authors.tests.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:articles_article_{name}", args=args)


@pytest.fixture
def edited(editor):
    """An article with three revisions: created, then two edits."""
    article = article_create(
        user=editor,
        title="Ferry fares rise",
        section=SectionFactory(),
        body="<p>Fares rise by ten per cent.</p>",
    )
    article = article_update(
        user=editor,
        article=article,
        data={"body": "<p>Fares rise by twelve per cent.</p>"},
        expected_version=article.version,
        comment="Corrected the figure",
    )
    return article_update(
        user=editor,
        article=article,
        data={"title": "Ferry fares rise again"},
        expected_version=article.version,
    )


# ---------------------------------------------------------------------------
# History, compare, revert
# ---------------------------------------------------------------------------
def test_history_lists_revisions_with_who_and_note_and_the_workflow_log(client, editor, edited):
    client.force_login(editor)
    page = client.get(url("history", edited.pk)).content.decode()
    assert page.count("Revert to this") == 2  # not for the newest revision
    assert "Corrected the figure" in page
    assert "Edna Editor" in page
    assert "Workflow log" in page and "create" in page


def test_compare_shows_a_word_diff_between_any_two_revisions(client, editor, edited):
    oldest, middle, _ = reversed(list(Version.objects.get_for_object(edited)))
    client.force_login(editor)
    page = client.get(url("compare", edited.pk), {"from": oldest.pk, "to": middle.pk})
    text = page.content.decode()
    assert "<del>ten</del>" in text and "<ins>twelve</ins>" in text
    assert "Title" not in text.split("nr-diff")[1]  # only the body changed between these two
    page = client.get(url("compare", edited.pk), {"from": oldest.pk, "to": "live"})
    assert "<ins>again</ins>" in page.content.decode()


def test_editor_reviewing_sees_the_reporters_last_change(client, editor, reporter):
    article = article_create(
        user=reporter, title="Council vote", section=SectionFactory(), body="<p>Vote on Monday.</p>"
    )
    article = article_update(
        user=reporter,
        article=article,
        data={"body": "<p>Vote on Tuesday.</p>"},
        expected_version=article.version,
        comment="Fixed the day",
    )
    article_submit(user=reporter, article=article)
    client.force_login(editor)
    page = client.get(url("change", article.pk)).content.decode()
    assert "Last revision: Fixed the day by Rita Reporter" in page
    link = page.split('<a href="')[1:]
    compare_link = next(part.split('"')[0] for part in link if "/history/compare/" in part)
    diff = client.get(compare_link.replace("&amp;", "&")).content.decode()
    assert "<del>Monday.</del>" in diff and "<ins>Tuesday.</ins>" in diff
    history = client.get(url("history", article.pk)).content.decode()
    assert "What changed" in history


def test_compare_escapes_the_text(client, editor):
    article = ArticleFactory(title="Plain")
    article_update(
        user=editor,
        article=article,
        data={"title": "<img src=x onerror=alert(1)>"},
        expected_version=article.version,
    )
    versions = Version.objects.get_for_object(article)
    client.force_login(editor)
    page = client.get(url("compare", article.pk), {"from": versions.last().pk, "to": "live"})
    assert "<img src=x" not in page.content.decode()
    assert "&lt;img" in page.content.decode()


def test_compare_rejects_revisions_of_other_articles(client, editor, edited):
    other = article_create(user=editor, title="Other", section=SectionFactory())
    foreign = Version.objects.get_for_object(other).first()
    client.force_login(editor)
    assert client.get(url("compare", edited.pk), {"from": foreign.pk}).status_code == 404
    assert client.get(url("compare", edited.pk), {"from": "nonsense"}).status_code == 404


def test_revert_brings_back_an_old_text_as_a_new_revision(client, editor, edited):
    oldest = Version.objects.get_for_object(edited).last()
    before = Version.objects.get_for_object(edited).count()
    client.force_login(editor)
    response = client.post(
        url("revert", edited.pk, oldest.pk), {"expected_version": edited.version}
    )
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.title == "Ferry fares rise"
    assert edited.body == "<p>Fares rise by ten per cent.</p>"
    assert Version.objects.get_for_object(edited).count() == before + 1


def test_revert_from_a_stale_page_is_refused_with_the_conflict(client, editor, edited):
    oldest = Version.objects.get_for_object(edited).last()
    client.force_login(editor)
    response = client.post(
        url("revert", edited.pk, oldest.pk), {"expected_version": edited.version - 1}, follow=True
    )
    assert "changed this article" in response.content.decode()
    edited.refresh_from_db()
    assert edited.title == "Ferry fares rise again"


def test_revert_needs_a_post(client, editor, edited):
    oldest = Version.objects.get_for_object(edited).last()
    client.force_login(editor)
    assert client.get(url("revert", edited.pk, oldest.pk)).status_code == 405


def test_reporter_sees_no_revert_on_a_published_article_and_cannot_post_one(client, reporter):
    editor = UserFactory(editor=True)
    article = article_create(
        user=editor,
        title="Live",
        section=SectionFactory(),
        bylines=[reporter.author_profile],
    )
    article = article_update(
        user=editor, article=article, data={"title": "Live v2"}, expected_version=article.version
    )
    article = article_publish(user=editor, article=article)
    oldest = Version.objects.get_for_object(article).last()
    client.force_login(reporter)
    page = client.get(url("history", article.pk))
    assert page.status_code == 200
    assert "Revert to this" not in page.content.decode()
    response = client.post(
        url("revert", article.pk, oldest.pk), {"expected_version": article.version}
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Live v2"


def test_reporter_cannot_see_the_history_of_others_drafts(client, reporter, edited):
    client.force_login(reporter)
    assert client.get(url("history", edited.pk)).status_code == 404


# ---------------------------------------------------------------------------
# Proposed changes to live articles
# ---------------------------------------------------------------------------
@pytest.fixture
def live_by_reporter(reporter):
    return ArticleFactory(
        published=True, title="Tram line opens", authors=[reporter.author_profile]
    )


def test_reporter_proposes_a_change_and_readers_keep_the_live_text(
    client, reporter, live_by_reporter
):
    client.force_login(reporter)
    form = form_fields(client.get(url("propose", live_by_reporter.pk)).content, form_id=None)
    form.update(title="Tram line opens on time", dek=live_by_reporter.dek)
    response = client.post(url("propose", live_by_reporter.pk), form)
    assert response.status_code == 302
    proposal = ChangeProposal.objects.get(article=live_by_reporter)
    assert proposal.data == {"title": "Tram line opens on time"}  # only what changed
    live_by_reporter.refresh_from_db()
    assert live_by_reporter.title == "Tram line opens"


def test_proposing_nothing_new_is_a_form_error(client, reporter, live_by_reporter):
    client.force_login(reporter)
    form = form_fields(client.get(url("propose", live_by_reporter.pk)).content, form_id=None)
    response = client.post(url("propose", live_by_reporter.pk), form)
    assert response.status_code == 200
    assert "Nothing differs from the live article." in response.content.decode()
    assert not ChangeProposal.objects.exists()


def test_only_byline_reporters_may_propose(client, reporter, editor):
    stranger_article = ArticleFactory(published=True)
    client.force_login(reporter)
    assert client.get(url("propose", stranger_article.pk)).status_code == 403
    client.force_login(editor)  # editors edit directly
    assert client.get(url("propose", stranger_article.pk)).status_code == 403


def test_editor_reviews_the_diff_and_accepts(client, editor, reporter, live_by_reporter):
    proposal = change_proposal_create(
        user=reporter, article=live_by_reporter, data={"title": "Tram line opens at last"}
    )
    client.force_login(editor)
    change_page = client.get(url("change", live_by_reporter.pk)).content.decode()
    assert "Proposed changes waiting for review" in change_page
    review = client.get(url("proposal", live_by_reporter.pk, proposal.pk)).content.decode()
    assert "<ins>at last</ins>" in review
    response = client.post(
        url("proposal", live_by_reporter.pk, proposal.pk), {"decision": "accept"}
    )
    assert response.status_code == 302
    live_by_reporter.refresh_from_db()
    proposal.refresh_from_db()
    assert live_by_reporter.title == "Tram line opens at last"
    assert (proposal.status, proposal.decided_by) == ("accepted", editor)


def test_editor_rejects_with_a_note(client, editor, reporter, live_by_reporter):
    proposal = change_proposal_create(
        user=reporter, article=live_by_reporter, data={"title": "Nope"}
    )
    client.force_login(editor)
    client.post(
        url("proposal", live_by_reporter.pk, proposal.pk),
        {"decision": "reject", "comment": "Not accurate"},
    )
    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    assert WorkflowEvent.objects.filter(action="reject_change", comment="Not accurate").exists()
    live_by_reporter.refresh_from_db()
    assert live_by_reporter.title == "Tram line opens"


def test_reporter_sees_own_proposal_but_cannot_decide_it(client, reporter, live_by_reporter):
    proposal = change_proposal_create(
        user=reporter, article=live_by_reporter, data={"title": "Mine"}
    )
    client.force_login(reporter)
    page = client.get(url("proposal", live_by_reporter.pk, proposal.pk)).content.decode()
    assert "Accept and publish" not in page
    response = client.post(
        url("proposal", live_by_reporter.pk, proposal.pk), {"decision": "accept"}
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_proposal_list_links_to_the_review(client, editor, reporter, live_by_reporter):
    proposal = change_proposal_create(user=reporter, article=live_by_reporter, data={"title": "X"})
    client.force_login(editor)
    page = client.get(reverse("admin:articles_changeproposal_changelist")).content.decode()
    assert url("proposal", live_by_reporter.pk, proposal.pk) in page


# ---------------------------------------------------------------------------
# Correction notes
# ---------------------------------------------------------------------------
def test_editor_adds_a_correction_note_from_the_form(client, editor):
    article = ArticleFactory(published=True)
    client.force_login(editor)
    data = form_fields(client.get(url("change", article.pk)).content)
    data.update(
        {"corrections-2-0-kind": "correction", "corrections-2-0-text": "The vote was on Monday."}
    )
    assert client.post(url("change", article.pk), data).status_code == 302
    note = Correction.objects.get(article=article)
    assert (note.text, note.created_by) == ("The vote was on Monday.", editor)
    assert WorkflowEvent.objects.filter(article=article, action="correction_add").exists()


def test_existing_notes_are_read_only_in_the_form(client, editor):
    note = CorrectionFactory(text="Original note")
    client.force_login(editor)
    page = client.get(url("change", note.article.pk)).content.decode()
    assert "Original note" in page
    assert 'name="corrections-0-text"' not in page
    assert url("correction_delete", note.article.pk, note.pk) in page


def test_reporter_cannot_add_or_remove_notes(client, reporter):
    article = ArticleFactory(created_by=reporter)
    note = CorrectionFactory(article=article)
    client.force_login(reporter)
    page = client.get(url("change", article.pk)).content.decode()
    assert 'name="corrections-2-0-text"' not in page
    assert client.get(url("correction_delete", article.pk, note.pk)).status_code == 403
    response = client.post(url("correction_edit", article.pk, note.pk), {"text": "x"})
    assert response.status_code == 403


def test_removing_a_note_needs_a_reason_and_is_logged(client, editor):
    note = CorrectionFactory(text="Wrong date")
    article = note.article
    client.force_login(editor)
    response = client.post(url("correction_delete", article.pk, note.pk), {"reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Correction.objects.filter(pk=note.pk).exists()
    response = client.post(
        url("correction_delete", article.pk, note.pk), {"reason": "Posted on the wrong article"}
    )
    assert response.status_code == 302
    assert not Correction.objects.filter(pk=note.pk).exists()
    event = WorkflowEvent.objects.get(article=article, action="correction_delete")
    assert "Wrong date" in event.comment and "Posted on the wrong article" in event.comment


def test_editing_a_note_keeps_the_old_wording_in_the_history(client, editor):
    note = CorrectionFactory(text="Old wording")
    client.force_login(editor)
    response = client.post(
        url("correction_edit", note.article.pk, note.pk),
        {"kind": "clarification", "text": "New wording"},
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.kind, note.text) == ("clarification", "New wording")
    assert Version.objects.get_for_object(note).exists()


# ---------------------------------------------------------------------------
# Tags, sections, autocomplete
# ---------------------------------------------------------------------------
def test_tag_autocomplete_returns_names(client, reporter):
    ArticleFactory(published=True, tags=["Housing", "Harbour", "Budget"])
    client.force_login(reporter)
    data = client.get(url("tag_autocomplete"), {"term": "ha"}).json()
    assert [r["id"] for r in data["results"]] == ["Harbour"]
    assert data["pagination"] == {"more": False}


def test_tag_autocomplete_does_not_offer_tags_only_on_another_desks_draft(client, reporter):
    ArticleFactory(tags=["Harbour takeover"])
    ArticleFactory(created_by=reporter, tags=["Harbour budget"])
    client.force_login(reporter)
    data = client.get(url("tag_autocomplete"), {"term": "harbour"}).json()
    assert [r["id"] for r in data["results"]] == ["Harbour budget"]


def test_tag_autocomplete_is_for_writers_only(client):
    client.force_login(UserFactory(moderator=True))
    assert client.get(url("tag_autocomplete"), {"term": "a"}).status_code == 403


def test_a_tag_typed_in_another_case_reuses_the_existing_tag(client, editor):
    ArticleFactory(tags=["Housing"])
    article = ArticleFactory()
    client.force_login(editor)
    data = form_fields(client.get(url("change", article.pk)).content)
    data["tags"] = ["housing", "New Tag"]
    assert client.post(url("change", article.pk), data).status_code == 302
    assert sorted(article.tags.names()) == ["Housing", "New Tag"]


def test_tags_admin_is_for_editors_only(client, reporter, editor):
    tags_url = reverse("admin:taggit_tag_changelist")
    client.force_login(reporter)
    assert client.get(tags_url).status_code == 403
    assert client.get(reverse("admin:taggit_tag_merge_tags")).status_code == 403
    client.force_login(editor)
    assert client.get(tags_url).status_code == 200


def test_byline_autocomplete_offers_active_authors_only(client, reporter):
    AuthorFactory(name="Active Alice")
    AuthorFactory(name="Former Fred", is_active=False)
    client.force_login(reporter)
    data = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "byline", "field_name": "author", "term": ""},
    ).json()
    names = [r["text"] for r in data["results"]]
    assert "Active Alice" in names
    assert "Former Fred" not in names


def test_related_autocomplete_searches_articles_the_user_may_see(client, reporter):
    ArticleFactory(published=True, title="Harbour reopens")
    ArticleFactory(title="Harbour secret draft")
    client.force_login(reporter)
    data = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "relatedlink", "field_name": "target",
         "term": "harbour"},
    ).json()  # fmt: skip
    assert [r["text"] for r in data["results"]] == ["Harbour reopens"]


def test_editor_orders_sections(client, editor):
    SectionFactory(name="Politics", position=2)
    SectionFactory(name="World", position=1)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_section_changelist"))
    assert response.status_code == 200
    assert response.content.decode().index("World") < response.content.decode().index("Politics")


def test_reporter_cannot_change_sections(client, reporter):
    section = SectionFactory()
    client.force_login(reporter)
    change = reverse("admin:articles_section_change", args=[section.pk])
    assert client.post(change, {"name": "Hijacked", "slug": "x", "position": 1}).status_code == 403


def test_the_section_admin_saves_through_the_section_service(client, editor):
    section = SectionFactory(name="City", slug="city")
    client.force_login(editor)
    change = reverse("admin:articles_section_change", args=[section.pk])
    form = form_fields(client.get(change).content, form_id="section_form")
    form.update(name="City\x0band harbour", description="Local\x0bnews")
    response = client.post(change, form)
    assert response.status_code == 302
    section.refresh_from_db()
    # The service cleans what XML cannot carry, as the API's section writes do.
    assert (section.name, section.description) == ("City and harbour", "Local\nnews")


def test_only_editors_change_sections_even_with_the_model_permission(client):
    from django.contrib.auth.models import Permission

    clerk = UserFactory()
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_section", "change_section"])
    )
    section = SectionFactory()
    client.force_login(clerk)
    change = reverse("admin:articles_section_change", args=[section.pk])
    assert client.post(change, {"name": "Hijacked", "slug": "x", "position": 1}).status_code == 403
    section.refresh_from_db()
    assert section.name != "Hijacked"


def test_article_delete_of_a_draft_by_an_editor_works_and_is_gone(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    client.post(url("delete", article.pk), {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()
