"""Live coverage in the admin: editors open and end it from the article's page, which carries
the entry composer (posting through the API with the session: api/tests/test_entries.py)."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from articles.image_tasks import entry_image_renditions_task
from articles.models import Entry
from articles.policy import ArticlePolicy
from articles.services import live
from articles.tests.factories import ArticleFactory
from authors.tests.factories import AuthorFactory
from outbox.models import Event
from outbox.services import event_process

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_an_editor_opens_coverage_and_gets_the_composer(editor):
    article = ArticleFactory(published=True)
    client = signed_in(editor)
    page = client.get(change(article)).content.decode()
    assert "Turn into live coverage" in page and "data-live-composer" not in page
    response = client.post(f"/admin/articles/article/{article.pk}/live/open/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_live
    page = client.get(change(article)).content.decode()
    assert "data-live-composer" in page and "articles/admin/live-composer.js" in page
    assert f'data-api="/api/v1/articles/{article.pk}/entries/"' in page
    assert "End live coverage" in page


def test_an_editor_ends_coverage_with_a_summary(editor):
    article = live.live_coverage_open(user=editor, article=ArticleFactory(published=True))
    response = signed_in(editor).post(
        f"/admin/articles/article/{article.pk}/live/end/", {"summary": "<p>All clear.</p>"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.is_live and article.live_summary == "<p>All clear.</p>"


def test_an_editor_turns_coverage_back_into_a_plain_article(editor, reporter):
    article = live.live_coverage_open(user=editor, article=ArticleFactory(published=True))
    url = f"/admin/articles/article/{article.pk}/live/remove/"
    assert (
        "Turn back into a plain article"
        not in signed_in(reporter).get(change(article)).content.decode()
    )
    assert signed_in(reporter).post(url).status_code in (403, 404)
    client = signed_in(editor)
    assert "Turn back into a plain article" in client.get(change(article)).content.decode()
    assert client.post(url).status_code == 302
    article.refresh_from_db()
    assert not article.is_live_coverage
    page = client.get(change(article)).content.decode()
    assert "Turn into live coverage" in page and "Turn back into a plain article" not in page
    reader_page = Client().get(article.get_absolute_url()).content.decode()
    assert "data-live" not in reader_page and ">LIVE<" not in reader_page


def test_a_reporter_cannot_open_or_end_coverage_in_the_admin(reporter, editor):
    article = ArticleFactory(created_by=reporter)
    client = signed_in(reporter)
    assert client.post(f"/admin/articles/article/{article.pk}/live/open/").status_code == 403
    live.live_coverage_open(user=editor, article=article)
    assert client.post(f"/admin/articles/article/{article.pk}/live/end/").status_code == 403
    page = client.get(change(article)).content.decode()
    assert "data-live-composer" in page and "End live coverage" not in page


# -- Entries with a picture, edited and deleted from the composer ---------------------------
# (Text-only posts, edits, deletes and alerts go through the API: api/tests/test_entries.py.)
@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def jpeg(width=640, height=400) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, format="JPEG")
    return SimpleUploadedFile("coast.jpg", buffer.getvalue(), "image/jpeg")


def entries_url(article, entry=None) -> str:
    base = f"/admin/articles/article/{article.pk}/live/entries/"
    return f"{base}{entry.pk}/" if entry is not None else base


@pytest.fixture
def story(editor):
    return live.live_coverage_open(user=editor, article=ArticleFactory(published=True))


def test_the_composer_posts_an_entry_with_a_picture(story, reporter, media):
    client = signed_in(reporter)
    form = {"title": "Waves", "body": "<p>Huge waves.</p>", "is_key_event": "true"}
    response = client.post(
        entries_url(story),
        {**form, "image": jpeg(), "image_alt": "Waves over the pier", "image_caption": "At 9"},
    )
    assert response.status_code == 201, response.content
    entry = Entry.objects.get(pk=response.json()["id"])
    assert entry.image.name.startswith("live/") and (entry.image_width, entry.image_height) == (
        640,
        400,
    )
    assert entry.image_alt == "Waves over the pier" and entry.is_key_event
    assert [a.name for a in entry.authors.all()] == ["Rita Reporter"]
    html = Client().get(story.get_absolute_url()).content.decode()
    assert f'<img src="{entry.image.url}" srcset="{entry.image.url} 640w"' in html
    assert 'alt="Waves over the pier" width="640" height="400"' in html


def test_the_worker_makes_webp_copies_of_an_entrys_picture(
    story, reporter, editor, media, django_capture_on_commit_callbacks
):
    """As for hero images: the outbox event recorded with the picture makes its renditions,
    the live page offers them, a new picture or none drops them."""
    response = signed_in(reporter).post(
        entries_url(story), {"body": "<p>Waves.</p>", "image": jpeg(1200, 600), "image_alt": "W"}
    )
    entry = Entry.objects.get(pk=response.json()["id"])
    event = Event.objects.get(topic="article.entry_image_changed")
    assert event.payload == {"article_id": story.pk, "entry_id": entry.pk}
    before = Client().get(story.get_absolute_url()).content.decode()  # now in the origin cache
    assert f'srcset="{entry.image.url} 1200w"' in before
    with django_capture_on_commit_callbacks(execute=True):
        assert event_process(event_id=event.pk) == "processed"
    entry.refresh_from_db()
    assert sorted(entry.image_renditions) == ["480", "960"]
    for name in entry.image_renditions.values():
        with default_storage.open(name) as stored, Image.open(stored) as copy:
            assert copy.format == "WEBP"
    html = Client().get(story.get_absolute_url()).content.decode()  # purged by the worker
    small, large = (default_storage.url(entry.image_renditions[w]) for w in ("480", "960"))
    assert (
        f'<img src="{small}" srcset="{small} 480w, {large} 960w, {entry.image.url} 1200w"' in html
    )
    assert 'width="480" height="240" loading="lazy"' in html

    old = set(entry.image_renditions.values())
    entry = live.entry_update(user=editor, entry=entry, data={"image": ""}, expected_version=1)
    assert entry.image_renditions == {}
    assert entry_image_renditions_task(entry.pk) == {}
    assert not any(default_storage.exists(name) for name in old)
    assert Event.objects.filter(topic="article.entry_image_changed").count() == 2
    live.entry_update(user=editor, entry=entry, data={"title": "Waves"}, expected_version=2)
    assert Event.objects.filter(topic="article.entry_image_changed").count() == 2


def test_a_picture_is_checked_as_article_pictures_are(story, reporter, media):
    client = signed_in(reporter)
    fake = SimpleUploadedFile("coast.jpg", b"not a picture", "image/jpeg")
    refused = client.post(entries_url(story), {"body": "<p>x</p>", "image": fake, "image_alt": "x"})
    assert refused.status_code == 400 and "image" in refused.json()["errors"]
    no_alt = client.post(entries_url(story), {"body": "<p>x</p>", "image": jpeg()})
    assert no_alt.status_code == 400 and "image_alt" in no_alt.json()["errors"]
    assert not Entry.objects.exists()


def test_the_composer_replaces_and_removes_a_picture_based_on_the_version_read(
    story, reporter, editor, media
):
    entry = live.entry_post(user=reporter, article=story, body="<p>Calm.</p>")
    client = signed_in(reporter)
    added = client.post(
        entries_url(story, entry),
        {"version": "1", "image": jpeg(), "image_alt": "The harbour", "title": "Calm"},
    )
    assert added.status_code == 200 and added.json()["version"] == 2
    entry.refresh_from_db()
    assert entry.image and entry.title == "Calm" and entry.body == "<p>Calm.</p>"
    stale = signed_in(editor).post(entries_url(story, entry), {"version": "1", "image_clear": "1"})
    assert stale.status_code == 412 and "Rita Reporter changed this entry" in stale.json()["detail"]
    assert client.post(entries_url(story, entry), {"image_clear": "1"}).status_code == 400
    removed = signed_in(editor).post(
        entries_url(story, entry), {"version": "2", "image_clear": "1"}
    )
    assert removed.status_code == 200
    entry.refresh_from_db()
    assert not entry.image and entry.image_alt == "" and entry.version == 3


def test_reporters_change_pictures_of_their_own_entries_only(story, reporter, editor, media):
    theirs = live.entry_post(user=editor, article=story, body="<p>Editor's.</p>")
    response = signed_in(reporter).post(
        entries_url(story, theirs), {"version": "1", "image": jpeg(), "image_alt": "x"}
    )
    assert response.status_code == 403
    assert signed_in(reporter).get(entries_url(story)).status_code == 405
    assert (
        signed_in(reporter).post(entries_url(story) + "999999/", {"version": "1"}).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert not theirs.image


def test_an_ended_coverage_keeps_its_updates_list_for_editors(story, editor, reporter):
    live.entry_post(user=reporter, article=story, body="<p>One.</p>")
    live.live_coverage_end(user=editor, article=story)
    page = signed_in(editor).get(change(story)).content.decode()
    assert "data-live-composer" not in page and "data-live-entries" in page
    assert "articles/admin/live-composer.js" in page
    assert 'data-me="Edna Editor"' in page


def test_an_entry_is_signed_by_the_authors_chosen_or_the_poster(story, reporter, editor, media):
    other = AuthorFactory(name="Amira Okafor")
    AuthorFactory(name="Gone Away", is_active=False)
    page = signed_in(editor).get(change(story)).content.decode()
    assert f'<option value="{other.pk}">Amira Okafor</option>' in page
    assert "Gone Away" not in page
    client = signed_in(editor)
    rita = reporter.author_profile
    response = client.post(
        entries_url(story),
        {"body": "<p>x</p>", "authors": [str(other.pk), str(rita.pk)], "image": jpeg(),
         "image_alt": "x"},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    entry = Entry.objects.get(pk=response.json()["id"])
    assert [a.name for a in entry.authors.all()] == ["Amira Okafor", "Rita Reporter"]
    assert ArticlePolicy(reporter, story).can_edit_entry(entry)  # she signs it
    refused = client.post(entries_url(story, entry), {"version": "1", "authors": ["999999"]})
    assert refused.status_code == 400 and "authors" in refused.json()["errors"]
    kept = client.post(entries_url(story, entry), {"version": "1", "image_clear": "1"})
    assert kept.status_code == 200
    assert [a.name for a in entry.authors.all()] == ["Amira Okafor", "Rita Reporter"]
