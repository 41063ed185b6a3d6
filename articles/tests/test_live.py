"""Live coverage: opening and ending it, posting, editing and deleting entries, who may do what,
the history, the purges and the webhook events each change records."""

import pytest
from django.contrib.contenttypes.models import ContentType
from reversion.models import Version

from articles.models import Article, Entry
from articles.policy import ArticlePolicy
from articles.purges import entries_key
from articles.revisions import versions_for
from articles.services import live
from articles.tests.factories import ArticleFactory, EntryFactory
from authors.tests.factories import AuthorFactory, UserFactory
from core.errors import InvalidInput, InvalidTransition, NotAllowed
from edgecache.services import TOPIC as PURGE
from outbox.models import Event
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.services import deliveries_create_for_event, delivery_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(editor):
    """A published article with running live coverage."""
    article = ArticleFactory(published=True, created_by=editor)
    return live.live_coverage_open(user=editor, article=article)


@pytest.fixture
def other_reporter():
    user = UserFactory(username="otto", first_name="Otto", last_name="Other", reporter=True)
    AuthorFactory(name="Otto Other", user=user)
    return user


def events(topic: str) -> list[dict]:
    return [e.payload for e in Event.objects.filter(topic=topic).order_by("pk")]


# -- coverage ----------------------------------------------------------------------------------
def test_editor_opens_and_ends_coverage_with_a_summary(editor):
    article = ArticleFactory(published=True)
    opened = live.live_coverage_open(user=editor, article=article)
    assert opened.is_live and opened.live_since is not None and opened.live_ended_at is None
    ended = live.live_coverage_end(
        user=editor, article=opened, summary="<p>The vote passed.</p><script>x()</script>"
    )
    ended.refresh_from_db()
    assert not ended.is_live and ended.is_live_coverage
    assert ended.live_summary == "<p>The vote passed.</p>"
    assert [e.action for e in ended.workflow_events.order_by("pk")] == ["live_open", "live_end"]
    # Opened again: the start is kept, the end cleared.
    again = live.live_coverage_open(user=editor, article=ended)
    assert again.is_live and again.live_since == opened.live_since


def test_reporter_cannot_open_or_end_coverage(reporter, editor):
    article = ArticleFactory(published=True, created_by=reporter)
    with pytest.raises(NotAllowed):
        live.live_coverage_open(user=reporter, article=article)
    live.live_coverage_open(user=editor, article=article)
    with pytest.raises(NotAllowed):
        live.live_coverage_end(user=reporter, article=article)


def test_coverage_cannot_be_ended_twice(editor, story):
    live.live_coverage_end(user=editor, article=story)
    with pytest.raises(InvalidTransition):
        live.live_coverage_end(user=editor, article=story)


def test_an_editor_turns_coverage_back_into_a_plain_article_and_entries_come_back_later(
    editor, reporter, story
):
    entry = live.entry_post(user=reporter, article=story, body="<p>Ferries stop.</p>")
    with pytest.raises(NotAllowed):
        live.live_coverage_remove(user=reporter, article=story)
    Event.objects.filter(topic=PURGE).delete()

    plain = live.live_coverage_remove(user=editor, article=story)

    plain.refresh_from_db()
    assert not plain.is_live_coverage and plain.live_since is None and plain.live_ended_at is None
    assert Entry.objects.filter(pk=entry.pk).exists()  # kept
    assert entries_key(story.pk) in events(PURGE)[0]["keys"]
    assert plain.workflow_events.order_by("pk").last().action == "live_remove"
    assert "turned back into an article" in versions_for(plain).first().revision.comment
    with pytest.raises(InvalidTransition):
        live.live_coverage_remove(user=editor, article=plain)
    with pytest.raises(InvalidTransition):
        live.entry_post(user=reporter, article=plain, body="<p>Too late.</p>")
    again = live.live_coverage_open(user=editor, article=plain)
    assert list(again.entries.values_list("pk", flat=True)) == [entry.pk]


# -- entries -----------------------------------------------------------------------------------
def test_reporter_posts_a_sanitised_entry_with_themselves_as_author(reporter, story):
    entry = live.entry_post(
        user=reporter,
        article=story,
        title="  Vote  passes ",
        body='<p onclick="x()">31 to 12.</p><script>alert(1)</script>',
        is_key_event=True,
    )
    entry.refresh_from_db()
    assert entry.title == "Vote passes"
    assert entry.body == "<p>31 to 12.</p>"
    assert [a.name for a in entry.authors.all()] == ["Rita Reporter"]
    assert entry.created_by == reporter and entry.is_key_event


def test_entries_need_running_coverage(reporter, editor, story):
    live.live_coverage_end(user=editor, article=story)
    with pytest.raises(InvalidTransition):
        live.entry_post(user=reporter, article=story, body="<p>Late.</p>")
    not_live = ArticleFactory(published=True)
    with pytest.raises(InvalidTransition):
        live.entry_post(user=editor, article=not_live, body="<p>Nope.</p>")


def test_an_empty_entry_is_refused(reporter, story):
    with pytest.raises(InvalidInput):
        live.entry_post(user=reporter, article=story, body="<p> </p><script>x</script>")
    assert not Entry.objects.exists()


def test_readers_and_moderators_cannot_post(story):
    moderator = UserFactory(moderator=True)
    with pytest.raises(NotAllowed):
        live.entry_post(user=moderator, article=story, body="<p>Hi</p>")


def test_pinning_an_entry_unpins_the_one_before(reporter, story):
    first = live.entry_post(user=reporter, article=story, body="<p>One</p>", is_pinned=True)
    second = live.entry_post(user=reporter, article=story, body="<p>Two</p>", is_pinned=True)
    first.refresh_from_db()
    assert not first.is_pinned and second.is_pinned


def test_reporter_edits_only_their_own_entries_editor_any(reporter, other_reporter, editor, story):
    mine = live.entry_post(user=reporter, article=story, body="<p>Mine</p>")
    theirs = live.entry_post(user=other_reporter, article=story, body="<p>Theirs</p>")
    live.entry_update(user=reporter, entry=mine, data={"body": "<p>Mine, fixed</p>"})
    with pytest.raises(NotAllowed):
        live.entry_update(user=reporter, entry=theirs, data={"body": "<p>Hijacked</p>"})
    with pytest.raises(NotAllowed):
        live.entry_delete(user=reporter, entry=theirs)
    edited = live.entry_update(user=editor, entry=theirs, data={"title": "Checked"})
    assert edited.title == "Checked" and edited.version == 2 and edited.updated_by == editor
    live.entry_delete(user=editor, entry=mine)
    assert list(Entry.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_reporter_cannot_edit_their_entry_after_coverage_ends(reporter, editor, story):
    mine = live.entry_post(user=reporter, article=story, body="<p>Mine</p>")
    live.live_coverage_end(user=editor, article=story)
    with pytest.raises(NotAllowed):
        live.entry_update(user=reporter, entry=mine, data={"body": "<p>Later</p>"})
    live.entry_update(user=editor, entry=mine, data={"body": "<p>Fixed by the desk</p>"})


def test_an_edit_based_on_an_old_version_is_refused(editor, story):
    entry = live.entry_post(user=editor, article=story, body="<p>One</p>")
    live.entry_update(user=editor, entry=entry, data={"title": "A"}, expected_version=1)
    with pytest.raises(live.EntryConflict) as refused:
        live.entry_update(user=editor, entry=entry, data={"title": "B"}, expected_version=1)
    assert refused.value.current_version == 2
    assert "Edna Editor changed this entry" in refused.value.message
    with pytest.raises(live.EntryConflict):
        live.entry_delete(user=editor, entry=entry, expected_version=1)


def test_policy_answers_for_each_role(reporter, other_reporter, editor, story):
    entry = live.entry_post(user=reporter, article=story, body="<p>Mine</p>")
    entry = Entry.objects.prefetch_related("authors").get(pk=entry.pk)
    assert ArticlePolicy(editor, story).can_end_live()
    assert not ArticlePolicy(reporter, story).can_end_live()
    assert ArticlePolicy(reporter, story).can_post_entry()
    assert ArticlePolicy(reporter, story).can_edit_entry(entry)
    assert not ArticlePolicy(other_reporter, story).can_edit_entry(entry)
    assert ArticlePolicy(editor, story).can_delete_entry(entry)
    assert not ArticlePolicy(UserFactory(moderator=True), story).can_post_entry()


# -- history -----------------------------------------------------------------------------------
def test_every_entry_change_is_in_the_articles_history_with_who(reporter, editor, story):
    entry = live.entry_post(user=reporter, article=story, title="Vote", body="<p>One</p>")
    live.entry_update(user=editor, entry=entry, data={"body": "<p>One, checked</p>"})
    live.entry_delete(user=editor, entry=entry)
    history = [(v.revision.get_comment(), v.revision.user) for v in versions_for(story)[:3]]
    assert history == [
        (f"Live entry deleted: #{entry.pk} (Vote)", editor),
        (f"Live entry edited: #{entry.pk} (Vote)", editor),
        (f"Live entry posted: #{entry.pk} (Vote)", reporter),
    ]
    # The deleted entry's last text is kept in the revision.
    kept = Version.objects.filter(
        content_type=ContentType.objects.get_for_model(Entry), object_id=str(entry.pk)
    ).order_by("-pk")[0]
    assert kept.field_dict["body"] == "<p>One, checked</p>"


# -- purges ------------------------------------------------------------------------------------
def test_a_new_entry_purges_only_the_live_page_and_polling(reporter, story):
    before = set(Event.objects.values_list("pk", flat=True))
    live.entry_post(user=reporter, article=story, body="<p>One</p>")
    purges = [e.payload for e in Event.objects.filter(topic=PURGE).exclude(pk__in=before)]
    assert purges == [
        {
            "keys": [entries_key(story.pk)],
            "paths": [story.get_absolute_url(), f"/live/{story.pk}/*"],
            "hard": False,
        }
    ]


def test_opening_and_ending_purge_the_article_too(editor):
    article = ArticleFactory(published=True)
    before = set(Event.objects.values_list("pk", flat=True))
    live.live_coverage_open(user=editor, article=article)
    live.live_coverage_end(user=editor, article=article)
    purges = [e.payload["keys"] for e in Event.objects.filter(topic=PURGE).exclude(pk__in=before)]
    assert purges == [[f"article:{article.pk}", f"entries:{article.pk}"]] * 2


# -- webhooks ----------------------------------------------------------------------------------
def test_entry_events_reach_subscribed_endpoints_with_the_entry(reporter, editor, story):
    endpoint = WebhookEndpoint.objects.create(
        name="App",
        url="https://partner.example/hook",
        events=["liveblog.entry.published", "liveblog.entry.deleted"],
    )
    entry = live.entry_post(user=reporter, article=story, title="Vote", body="<p>31-12</p>")
    live.entry_update(user=editor, entry=entry, data={"title": "Vote passes"})
    assert [p["entry_id"] for p in events("liveblog.entry.published")] == [entry.pk]
    assert [p["entry_id"] for p in events("liveblog.entry.updated")] == [entry.pk]
    event = Event.objects.get(topic="liveblog.entry.published")
    (delivery,) = deliveries_create_for_event(event)
    body = delivery_body(delivery)
    assert body["type"] == "liveblog.entry.published"
    assert body["data"]["article"]["id"] == story.pk
    assert body["data"]["entry"]["title"] == "Vote passes"  # built when sent
    assert body["data"]["entry"]["authors"][0]["name"] == "Rita Reporter"
    assert body["data"]["entry"]["url"].endswith(f"#entry-{entry.pk}")
    live.entry_delete(user=editor, entry=entry)
    (gone,) = deliveries_create_for_event(Event.objects.get(topic="liveblog.entry.deleted"))
    assert delivery_body(gone)["data"]["entry"] == {"id": entry.pk, "is_published": False}
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 2


def test_entries_of_an_unpublished_article_record_no_event(editor):
    draft = ArticleFactory(created_by=editor)
    live.live_coverage_open(user=editor, article=draft)
    live.entry_post(user=editor, article=draft, body="<p>Rehearsal</p>")
    assert events("liveblog.entry.published") == []


def test_the_factory_builds_a_live_entry():
    entry = EntryFactory()
    assert entry.article.is_live and entry.article.status == Article.Status.PUBLISHED
