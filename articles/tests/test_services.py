from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from reversion.models import Version

from articles.models import (
    Article,
    ChangeProposal,
    Correction,
    PreviewLink,
    SlugRedirect,
    WorkflowEvent,
)
from articles.previews import PreviewLinkInvalid, preview_link_resolve
from articles.revisions import snapshot_diff, snapshot_from_article, snapshot_from_version
from articles.services import workflow as workflow_services
from articles.services.common import EditConflict
from articles.services.corrections import correction_add, correction_delete, correction_update
from articles.services.editing import BylineSpec, RelatedSpec, article_create, article_update
from articles.services.previews import preview_link_create, preview_link_revoke
from articles.services.proposals import (
    change_proposal_accept,
    change_proposal_create,
    change_proposal_reject,
)
from articles.services.revisions import article_revert
from articles.services.sweeps import article_expire_due, article_publish_due
from articles.services.workflow import (
    article_publish,
    article_return_to_draft,
    article_schedule,
    article_submit,
    article_unpublish,
)
from articles.tests.factories import ArticleFactory, SectionFactory
from authors.tests.factories import AuthorFactory, UserFactory
from core.errors import InvalidTransition, NotAllowed
from outbox.models import Event

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def section():
    return SectionFactory(name="World", slug="world")


def draft_by(user, **kwargs):
    return article_create(
        user=user,
        title=kwargs.pop("title", "Harbour plan approved"),
        section=kwargs.pop("section", None) or SectionFactory(),
        body=kwargs.pop("body", "<p>The council voted.</p>"),
        **kwargs,
    )


def png_upload(name="photo.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def events(topic):
    return list(Event.objects.filter(topic=topic).values_list("payload__article_id", flat=True))


# ---------------------------------------------------------------------------
# Creating
# ---------------------------------------------------------------------------
def test_reporter_creates_a_draft_with_ordered_bylines_tags_and_related(reporter, section):
    first, second = AuthorFactory(name="Ana Ruiz"), AuthorFactory(name="Ben Okafor")
    other = ArticleFactory(published=True)
    article = article_create(
        user=reporter,
        title="Storm closes the port",
        section=section,
        body="<p>Ships waited <b>offshore</b>.</p>",
        bylines=[BylineSpec(author=second, role="Reporting by"), first],
        tags=["Weather", "Shipping"],
        related=[other, RelatedSpec(url="https://example.org/port", title="Port authority notice")],
        credit_line="With reporting by Wire Service",
    )
    assert article.status == Status.DRAFT
    assert article.slug == "storm-closes-the-port"
    assert article.created_by == reporter
    assert [(b.author.name, b.role) for b in article.bylines.all()] == [
        ("Ben Okafor", "Reporting by"),
        ("Ana Ruiz", ""),
    ]
    assert sorted(article.tags.names()) == ["Shipping", "Weather"]
    links = list(article.related_links.all())
    assert links[0].target == other and links[1].url == "https://example.org/port"
    assert Version.objects.get_for_object(article).count() == 1
    assert WorkflowEvent.objects.filter(article=article, action="create").exists()


def test_slugs_are_unique_and_avoid_recorded_old_slugs(reporter, section):
    first = draft_by(reporter, title="Budget day", section=section)
    SlugRedirect.objects.create(old_slug="budget-day-2", article=first)
    second = draft_by(reporter, title="Budget day", section=section)
    assert first.slug == "budget-day"
    assert second.slug == "budget-day-3"


def test_title_without_latin_letters_still_gets_a_slug(reporter, section):
    assert draft_by(reporter, title="東京", section=section).slug == "article"


def test_moderator_cannot_create_articles(section):
    with pytest.raises(NotAllowed):
        draft_by(UserFactory(moderator=True), section=section)


def test_duplicate_byline_is_a_field_error(reporter, section):
    author = AuthorFactory()
    with pytest.raises(ValidationError) as error:
        draft_by(reporter, section=section, bylines=[author, author])
    assert "authors" in error.value.message_dict


def test_article_cannot_be_related_to_itself(editor, section):
    article = draft_by(editor, section=section)
    with pytest.raises(ValidationError):
        article_update(
            user=editor, article=article, data={}, expected_version=None, related=[article]
        )


@pytest.mark.parametrize(
    "hostile",
    [
        '<p>Hi<script>alert("x")</script></p>',
        '<p onclick="alert(1)">Hi</p>',
        '<a href="javascript:alert(1)">Hi</a>',
        '<a href="  JaVaScRiPt:alert(1)">Hi</a>',
        '<img src="x" onerror="alert(1)">Hi',
        '<iframe src="https://evil.example"></iframe>Hi',
        "<svg><script>alert(1)</script></svg>Hi",
        '<p style="background:url(javascript:alert(1))">Hi</p>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Hi</a>',
        "<object data='x.swf'></object>Hi",
        "<form action='https://evil.example'><input name=q></form>Hi",
        "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>Hi",
        '<a href="https://ok.example" onmouseover="alert(1)">Hi</a>',
        "<!-- <script>alert(1)</script> -->Hi",
        "<style>body{display:none}</style>Hi",
        '<base href="https://evil.example/">Hi',
        '<meta http-equiv="refresh" content="0;url=https://evil.example">Hi',
    ],
)
def test_stored_body_is_sanitized(reporter, section, hostile):
    article = draft_by(reporter, section=section, body=hostile)
    body = article.body.lower()
    for forbidden in ("<script", "onerror", "onclick", "onmouseover", "javascript:", "<iframe",
                      "<svg", "style=", "data:text", "<object", "<form", "<input", "<style",
                      "<base", "<meta", "<!--"):  # fmt: skip
        assert forbidden not in body
    assert "hi" in body


def test_links_opening_new_tabs_get_noopener(reporter, section):
    article = draft_by(
        reporter, section=section, body='<p><a href="https://e.org" target="_blank">x</a></p>'
    )
    assert 'rel="noopener noreferrer"' in article.body
    assert 'target="_blank"' in article.body


# ---------------------------------------------------------------------------
# Editing and optimistic concurrency
# ---------------------------------------------------------------------------
def test_stale_save_is_refused_naming_who_changed_it(editor, section):
    article = draft_by(editor, section=section)
    other = UserFactory(editor=True, first_name="Grace", last_name="Hopper")
    base = article.version
    article_update(
        user=other, article=article, data={"title": "Their title"}, expected_version=base
    )
    with pytest.raises(EditConflict) as conflict:
        article_update(
            user=editor, article=article, data={"title": "My title"}, expected_version=base
        )
    assert "Grace Hopper" in conflict.value.message
    assert conflict.value.current_version == base + 1
    article.refresh_from_db()
    assert article.title == "Their title"


def test_each_save_is_a_revision_and_bumps_the_version(editor, section):
    article = draft_by(editor, section=section)
    updated = article_update(
        user=editor, article=article, data={"dek": "New dek"}, expected_version=article.version
    )
    assert updated.version == article.version + 1
    assert updated.last_edited_by == editor
    assert Version.objects.get_for_object(article).count() == 2


def test_unknown_fields_are_refused(editor, section):
    article = draft_by(editor, section=section)
    with pytest.raises(ValidationError) as error:
        article_update(
            user=editor, article=article, data={"status": "published"}, expected_version=None
        )
    assert "status" in error.value.message_dict


def test_hero_image_needs_alt_text(editor, section):
    article = draft_by(editor, section=section)
    with pytest.raises(ValidationError) as error:
        article_update(
            user=editor,
            article=article,
            data={"hero_image": png_upload(), "hero_alt": ""},
            expected_version=None,
        )
    assert "hero_alt" in error.value.message_dict


def test_renaming_a_published_slug_records_a_redirect(editor, section):
    article = draft_by(editor, section=section, title="Old headline")
    article_publish(user=editor, article=article)
    article.refresh_from_db()
    article_update(
        user=editor, article=article, data={"slug": "new-headline"}, expected_version=None
    )
    redirect = SlugRedirect.objects.get(old_slug="old-headline")
    assert redirect.article == article
    # Renaming back removes the now-pointless redirect and keeps the other one.
    article_update(
        user=editor, article=article, data={"slug": "old-headline"}, expected_version=None
    )
    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["new-headline"]


def test_renaming_a_draft_slug_records_no_redirect(editor, section):
    article = draft_by(editor, section=section, title="Draft headline")
    article_update(user=editor, article=article, data={"slug": "x"}, expected_version=None)
    assert not SlugRedirect.objects.exists()


def test_slug_taken_by_another_article_is_a_field_error(editor, section):
    draft_by(editor, section=section, title="Taken")
    article = draft_by(editor, section=section, title="Mine")
    with pytest.raises(ValidationError) as error:
        article_update(user=editor, article=article, data={"slug": "taken"}, expected_version=None)
    assert "slug" in error.value.message_dict


def test_only_substantive_edits_move_the_updated_time(editor, section):
    article = draft_by(editor, section=section)
    article_publish(user=editor, article=article)
    article.refresh_from_db()
    article_update(user=editor, article=article, data={"dek": "typo fixed"}, expected_version=None)
    article.refresh_from_db()
    assert article.updated_at is None
    article_update(
        user=editor, article=article, data={"dek": "new facts"}, expected_version=None,
        substantive=True,
    )  # fmt: skip
    article.refresh_from_db()
    assert article.updated_at is not None
    assert events("article.updated") == [article.pk, article.pk]


# ---------------------------------------------------------------------------
# Workflow
# ---------------------------------------------------------------------------
def test_reporter_submits_and_editor_publishes(reporter, editor, section):
    article = draft_by(reporter, section=section)
    article_submit(user=reporter, article=article)
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    published = article_publish(user=editor, article=article, comment="Looks good")
    assert published.status == Status.PUBLISHED
    assert published.published_at and published.first_published_at == published.published_at
    log = list(
        WorkflowEvent.objects.filter(article=article)
        .order_by("created_at", "id")
        .values_list("action", "from_status", "to_status", "actor", "comment")
    )
    assert log[-2:] == [
        ("submit", "draft", "in_review", reporter.pk, ""),
        ("publish", "in_review", "published", editor.pk, "Looks good"),
    ]
    assert events("article.published") == [article.pk]


def test_reporter_cannot_publish_schedule_or_unpublish(reporter, editor, section):
    article = draft_by(reporter, section=section)
    with pytest.raises(NotAllowed):
        article_publish(user=reporter, article=article)
    with pytest.raises(NotAllowed):
        article_schedule(
            user=reporter, article=article, publish_at=timezone.now() + timedelta(hours=1)
        )
    article_publish(user=editor, article=article)
    with pytest.raises(NotAllowed):
        article_unpublish(user=reporter, article=article)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_reporter_cannot_edit_someone_elses_draft(reporter, section):
    other = draft_by(UserFactory(reporter=True), section=section)
    with pytest.raises(NotAllowed):
        article_update(
            user=reporter, article=other, data={"title": "Mine now"}, expected_version=None
        )


def test_reporter_on_the_byline_may_edit_a_colleagues_draft(reporter, section):
    author = reporter.author_profile
    draft = draft_by(UserFactory(reporter=True), section=section, bylines=[author])
    article_update(
        user=reporter, article=draft, data={"title": "Shared story"}, expected_version=None
    )
    draft.refresh_from_db()
    assert draft.title == "Shared story"


def test_reporter_cannot_edit_a_published_article_but_may_propose(reporter, editor, section):
    author = reporter.author_profile
    article = draft_by(reporter, section=section, bylines=[author])
    article_publish(user=editor, article=article)
    article.refresh_from_db()
    with pytest.raises(NotAllowed, match="propose"):
        article_update(
            user=reporter, article=article, data={"title": "Sneaky"}, expected_version=None
        )
    proposal = change_proposal_create(
        user=reporter, article=article, data={"title": "Better title", "body": "<p>x<script>"}
    )
    assert proposal.data["body"] == "<p>x</p>"
    article.refresh_from_db()
    assert article.title == "Harbour plan approved"  # readers keep the live version
    change_proposal_accept(user=editor, proposal=proposal)
    article.refresh_from_db()
    proposal.refresh_from_db()
    assert article.title == "Better title"
    assert proposal.status == ChangeProposal.Status.ACCEPTED
    with pytest.raises(InvalidTransition):
        change_proposal_reject(user=editor, proposal=proposal)


def test_only_byline_reporters_can_propose(reporter, editor, section):
    article = draft_by(editor, section=section)
    article_publish(user=editor, article=article)
    with pytest.raises(NotAllowed):
        change_proposal_create(user=reporter, article=article, data={"title": "x"})


def test_proposals_cannot_touch_other_fields(reporter, editor, section):
    author = reporter.author_profile
    article = draft_by(editor, section=section, bylines=[author])
    article = article_publish(user=editor, article=article)
    with pytest.raises(ValidationError):
        change_proposal_create(user=reporter, article=article, data={"is_breaking": True})


def test_editor_rejects_a_proposal(reporter, editor, section):
    author = reporter.author_profile
    article = draft_by(editor, section=section, bylines=[author])
    article = article_publish(user=editor, article=article)
    proposal = change_proposal_create(user=reporter, article=article, data={"dek": "x"})
    with pytest.raises(NotAllowed):
        change_proposal_reject(user=reporter, proposal=proposal)
    change_proposal_reject(user=editor, proposal=proposal, comment="Not sourced")
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.REJECTED


def test_invalid_transitions_raise_a_clear_error(editor, section):
    article = draft_by(editor, section=section)
    with pytest.raises(InvalidTransition, match="Only published articles can be unpublished"):
        article_unpublish(user=editor, article=article)
    article_submit(user=editor, article=article)
    with pytest.raises(InvalidTransition, match="this one is in review"):
        article_submit(user=editor, article=article)
    article_publish(user=editor, article=article)
    with pytest.raises(InvalidTransition):
        article_publish(user=editor, article=article)


def test_editor_schedules_a_draft_directly(editor, section):
    article = draft_by(editor, section=section)
    before = list(Event.objects.values_list("pk", flat=True))  # the new section's nav purge
    when = timezone.now() + timedelta(hours=2)
    scheduled = article_publish(user=editor, article=article, publish_at=when)
    assert scheduled.status == Status.SCHEDULED
    assert scheduled.publish_at == when
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert not Event.objects.exclude(pk__in=before).exists()


def test_scheduling_in_the_past_is_a_field_error(editor, section):
    article = draft_by(editor, section=section)
    with pytest.raises(ValidationError) as error:
        article_schedule(
            user=editor, article=article, publish_at=timezone.now() - timedelta(minutes=1)
        )
    assert "publish_at" in error.value.message_dict


def test_unpublish_then_publish_again_keeps_the_url(editor, section):
    article = draft_by(editor, section=section)
    article_publish(user=editor, article=article)
    article.refresh_from_db()
    url = article.get_absolute_url()
    first = article.first_published_at
    article_unpublish(user=editor, article=article)
    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED
    assert not Article.objects.published().filter(pk=article.pk).exists()
    article_publish(user=editor, article=article)
    article.refresh_from_db()
    assert article.first_published_at == first
    assert article.get_absolute_url() == url
    assert events("article.unpublished") == [article.pk]


def test_editor_returns_any_state_to_draft(editor, section):
    article = draft_by(editor, section=section)
    article_schedule(user=editor, article=article, publish_at=timezone.now() + timedelta(hours=1))
    article_return_to_draft(user=editor, article=article)
    article.refresh_from_db()
    assert article.status == Status.DRAFT and article.publish_at is None
    with pytest.raises(InvalidTransition):
        article_return_to_draft(user=editor, article=article)


# ---------------------------------------------------------------------------
# Scheduled publishing and expiry
# ---------------------------------------------------------------------------
def test_publish_due_publishes_only_due_articles_once():
    now = timezone.now()
    due = ArticleFactory(status=Status.SCHEDULED, publish_at=now - timedelta(seconds=30))
    later = ArticleFactory(status=Status.SCHEDULED, publish_at=now + timedelta(minutes=5))
    assert article_publish_due(now=now) == [due.pk]
    assert article_publish_due(now=now) == []
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Status.PUBLISHED and later.status == Status.SCHEDULED
    assert due.publish_delay >= timedelta(seconds=30)
    assert events("article.published") == [due.pk]
    entry = WorkflowEvent.objects.get(article=due, action="publish_scheduled")
    assert entry.actor is None and "after its time" in entry.comment


def test_one_failing_article_does_not_hold_back_the_other_due_ones(monkeypatch):
    now = timezone.now()
    broken = ArticleFactory(status=Status.SCHEDULED, publish_at=now - timedelta(minutes=2))
    fine = ArticleFactory(status=Status.SCHEDULED, publish_at=now - timedelta(minutes=1))
    real_go_live = workflow_services.go_live

    def go_live(article, **kwargs):
        if article.pk == broken.pk:
            raise RuntimeError("storage unavailable")
        return real_go_live(article, **kwargs)

    monkeypatch.setattr(workflow_services, "go_live", go_live)
    assert article_publish_due(now=now) == [fine.pk]
    broken.refresh_from_db()
    assert broken.status == Status.SCHEDULED
    assert not WorkflowEvent.objects.filter(article=broken, action="publish_scheduled").exists()
    monkeypatch.setattr(workflow_services, "go_live", real_go_live)
    assert article_publish_due(now=now) == [broken.pk]


def test_expire_due_withdraws_expired_articles():
    now = timezone.now()
    expired = ArticleFactory(published=True, unpublish_at=now - timedelta(seconds=1))
    live = ArticleFactory(published=True, unpublish_at=now + timedelta(hours=1))
    assert article_expire_due(now=now) == [expired.pk]
    expired.refresh_from_db()
    live.refresh_from_db()
    assert expired.status == Status.UNPUBLISHED and live.status == Status.PUBLISHED
    assert events("article.unpublished") == [expired.pk]


# ---------------------------------------------------------------------------
# Corrections
# ---------------------------------------------------------------------------
def test_corrections_are_dated_ordered_and_logged(editor, reporter):
    article = ArticleFactory(published=True)
    first = correction_add(
        user=editor, article=article, kind="correction", text="The vote was 7-2."
    )
    second = correction_add(user=editor, article=article, kind="update", text="More.")
    assert list(article.corrections.all()) == [first, second]
    assert events("article.corrected") == [article.pk, article.pk]
    with pytest.raises(NotAllowed):
        correction_add(user=reporter, article=article, kind="update", text="x")


def test_deleting_a_correction_needs_a_reason_and_keeps_its_text_in_the_log(editor):
    article = ArticleFactory(published=True)
    note = correction_add(user=editor, article=article, kind="correction", text="Oops.")
    with pytest.raises(ValidationError):
        correction_delete(user=editor, correction=note, reason=" ")
    correction_delete(user=editor, correction=note, reason="Added to the wrong story")
    assert not Correction.objects.exists()
    entry = WorkflowEvent.objects.get(article=article, action="correction_delete")
    assert "Oops." in entry.comment and "wrong story" in entry.comment
    assert entry.actor == editor


def test_a_note_on_a_live_article_moves_its_updated_time_and_a_removal_does_not(editor):
    article = ArticleFactory(published=True)
    assert article.updated_at is None
    note = correction_add(user=editor, article=article, kind="correction", text="The vote.")
    article.refresh_from_db()
    assert article.updated_at == note.noted_at > article.published_at
    # The revision the note made records the new time (to the millisecond, as JSON keeps it).
    latest = Version.objects.get_for_object(article).first()
    assert abs(latest.field_dict["updated_at"] - note.noted_at) < timedelta(milliseconds=1)

    before = article.updated_at
    correction_update(user=editor, correction=note, kind="clarification", text="The vote, 7-2.")
    article.refresh_from_db()
    assert article.updated_at > before

    moved = article.updated_at
    correction_delete(user=editor, correction=note, reason="Added to the wrong story")
    article.refresh_from_db()
    assert article.updated_at == moved


def test_a_note_never_moves_the_updated_time_back(editor):
    article = ArticleFactory(published=True)
    later = timezone.now() + timedelta(hours=1)
    Article.objects.filter(pk=article.pk).update(updated_at=later)
    correction_add(user=editor, article=article, kind="update", text="More.")  # a stale copy
    article.refresh_from_db()
    assert article.updated_at == later


def test_a_note_on_a_draft_moves_no_updated_time(editor):
    article = ArticleFactory()
    correction_add(user=editor, article=article, kind="correction", text="Early.")
    article.refresh_from_db()
    assert article.updated_at is None


def test_editing_a_correction_keeps_the_old_wording_in_history(editor):
    article = ArticleFactory(published=True)
    note = correction_add(user=editor, article=article, kind="correction", text="One.")
    correction_update(user=editor, correction=note, kind="correction", text="Two.")
    texts = {
        v.field_dict["text"]
        for v in Version.objects.get_for_model(Correction).filter(object_id=str(note.pk))
    }
    assert texts == {"One.", "Two."}


# ---------------------------------------------------------------------------
# Revisions: diff and revert
# ---------------------------------------------------------------------------
def test_diff_between_revisions_is_escaped_and_shows_the_change(editor, section):
    article = draft_by(editor, section=section, body="<p>The vote was close.</p>")
    article_update(
        user=editor,
        article=article,
        data={"body": "<p>The vote was <b>unanimous</b> &lt;script&gt;.</p>"},
        expected_version=None,
    )
    newest, oldest = list(Version.objects.get_for_object(article))[:2]
    changes = snapshot_diff(snapshot_from_version(oldest), snapshot_from_version(newest))
    body = next(c for c in changes if c["field"] == "body")["html"]
    assert "<del>close.</del>" in body
    assert "<ins>unanimous &amp;lt;script&amp;gt;.</ins>" in body or "&lt;script&gt;" in body
    assert "<script" not in body


def test_revert_brings_back_content_and_bylines_as_a_new_revision(editor, section):
    first_author, second_author = AuthorFactory(), AuthorFactory()
    article = draft_by(editor, section=section, title="First", bylines=[first_author])
    original = Version.objects.get_for_object(article).first()
    article_update(
        user=editor,
        article=article,
        data={"title": "Second"},
        expected_version=None,
        bylines=[second_author],
    )
    article.refresh_from_db()
    reverted = article_revert(
        user=editor, article=article, version=original, expected_version=article.version
    )
    assert reverted.title == "First"
    assert [b.author for b in reverted.bylines.all()] == [first_author]
    assert Version.objects.get_for_object(article).count() == 3
    live = snapshot_from_article(reverted)
    assert snapshot_diff(snapshot_from_version(original), live) == []


def test_revert_respects_optimistic_concurrency(editor, section):
    article = draft_by(editor, section=section)
    original = Version.objects.get_for_object(article).first()
    with pytest.raises(EditConflict):
        article_revert(
            user=editor, article=article, version=original, expected_version=article.version - 1
        )


# ---------------------------------------------------------------------------
# Preview links
# ---------------------------------------------------------------------------
def test_preview_link_resolves_until_revoked(editor, section):
    article = draft_by(editor, section=section)
    link, token = preview_link_create(user=editor, article=article)
    target = preview_link_resolve(token)
    assert target.article == article and target.version is not None
    preview_link_revoke(user=editor, link=link)
    with pytest.raises(PreviewLinkInvalid):
        preview_link_resolve(token)


def test_preview_link_expires(editor, section):
    article = draft_by(editor, section=section)
    link, token = preview_link_create(user=editor, article=article, lifetime=timedelta(hours=1))
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(PreviewLinkInvalid):
        preview_link_resolve(token)


def test_forged_or_tampered_preview_tokens_are_rejected(editor, section):
    article = draft_by(editor, section=section)
    _, token = preview_link_create(user=editor, article=article)
    for bad in ("", "abc", token[:-2] + "xx", token + "x"):
        with pytest.raises(PreviewLinkInvalid):
            preview_link_resolve(bad)


def test_latest_preview_link_is_not_pinned(editor, section):
    article = draft_by(editor, section=section)
    _, token = preview_link_create(user=editor, article=article, pin_revision=False)
    assert preview_link_resolve(token).version is None


def test_reporter_cannot_share_or_revoke_others_previews(reporter, editor, section):
    article = draft_by(editor, section=section)
    with pytest.raises(NotAllowed):
        preview_link_create(user=reporter, article=article)
    link, _ = preview_link_create(user=editor, article=article)
    with pytest.raises(NotAllowed):
        preview_link_revoke(user=reporter, link=link)
