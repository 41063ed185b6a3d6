"""The author admin: editors add and change authors through the service; others only look."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.tests.admin_helpers import form_fields
from authors.models import Author
from authors.tests.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:authors_author_add")
LIST_URL = reverse("admin:authors_author_changelist")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def change_url(author):
    return reverse("admin:authors_author_change", args=[author.pk])


def photo(size=(300, 300)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("face.png", buffer.getvalue(), "image/png")


@pytest.mark.parametrize("role", ["reporter", "editor", "moderator", "admin"])
def test_staff_can_list_authors(client, role):
    AuthorFactory(name="Listed Author")
    client.force_login(UserFactory(**{role: True}))
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert "Listed Author" in response.content.decode()


def test_editor_adds_an_author_with_photo_and_social_links(client, editor):
    client.force_login(editor)
    data = form_fields(client.get(ADD_URL).content, form_id="author_form")
    data.update(
        name="Maya Field",
        job_title="Science writer",
        bio="Writes about rivers.\r\n\r\nLives by one.",
        mastodon_url="https://mastodon.example/@maya",
        photo=photo(),
    )
    response = client.post(ADD_URL, data)
    assert response.status_code == 302
    author = Author.objects.get(name="Maya Field")
    assert author.slug == "maya-field"
    assert author.bio == "Writes about rivers.\n\nLives by one."
    assert author.photo_width == 300
    assert author.social_links == [("Mastodon", "https://mastodon.example/@maya")]


def test_a_fake_photo_is_a_form_error(client, editor):
    author = AuthorFactory()
    client.force_login(editor)
    data = form_fields(client.get(change_url(author)).content, form_id="author_form")
    data["photo"] = SimpleUploadedFile("face.jpg", b"not an image at all", "image/jpeg")
    response = client.post(change_url(author), data)
    assert response.status_code == 200
    assert "valid image" in response.content.decode()
    author.refresh_from_db()
    assert not author.photo


def test_editor_links_an_author_to_a_staff_account(client, editor):
    account = UserFactory(reporter=True, username="rita")
    author = AuthorFactory()
    client.force_login(editor)
    data = form_fields(client.get(change_url(author)).content, form_id="author_form")
    data["user"] = str(account.pk)
    assert client.post(change_url(author), data).status_code == 302
    author.refresh_from_db()
    assert author.user == account


def test_reporter_sees_authors_read_only(client):
    author = AuthorFactory(name="Unchanged")
    client.force_login(UserFactory(reporter=True))
    page = client.get(change_url(author))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change_url(author), {"name": "Changed"}).status_code == 403
    assert client.get(ADD_URL).status_code == 403
    author.refresh_from_db()
    assert author.name == "Unchanged"


def test_changing_an_author_keeps_an_untouched_photo_even_if_its_file_is_gone(client, editor):
    client.force_login(editor)
    data = form_fields(client.get(ADD_URL).content, form_id="author_form")
    data.update(name="Has Photo", photo=photo())
    client.post(ADD_URL, data)
    author = Author.objects.get(name="Has Photo")
    author.photo.storage.delete(author.photo.name)
    data = form_fields(client.get(change_url(author)).content, form_id="author_form")
    data["bio"] = "A new bio."
    assert client.post(change_url(author), data).status_code == 302
    assert Author.objects.get(pk=author.pk).bio == "A new bio."
