"""Author writes: editors only, validated like the admin form, slugs made from names."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from authors.models import Author
from authors.services import author_create, author_update
from authors.tests.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def jpeg(size=(120, 120)) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name="face.jpg")


def test_editor_creates_an_author_with_a_slug_from_the_name(editor):
    author = author_create(user=editor, name="  Zoë Ångström ", job_title="Data editor")
    assert (author.name, author.slug, author.job_title) == (
        "Zoë Ångström",
        "zoe-angstrom",
        "Data editor",
    )
    assert author_create(user=editor, name="Zoë Ångström").slug == "zoe-angstrom-2"


def test_authors_need_no_login(editor):
    author = author_create(user=editor, name="Agency Wire", bio="A news agency.")
    assert author.user is None


@pytest.mark.parametrize("role", ["reporter", "moderator"])
def test_only_editors_manage_authors(role, editor):
    user = UserFactory(**{role: True})
    with pytest.raises(PermissionDenied):
        author_create(user=user, name="Someone")
    author = AuthorFactory()
    with pytest.raises(PermissionDenied):
        author_update(user=user, author=author, data={"bio": "Rewritten"})
    author.refresh_from_db()
    assert author.bio != "Rewritten"


def test_bio_keeps_paragraphs_and_normalizes_line_endings(editor):
    author = author_create(user=editor, name="A", bio="First para.  \r\n\r\nSecond para.\r\n")
    assert author.bio == "First para.\n\nSecond para."
    assert author.bio_paragraphs == ["First para.", "Second para."]


def test_update_changes_only_what_is_given(editor):
    author = AuthorFactory(name="Old Name", job_title="Reporter")
    author = author_update(user=editor, author=author, data={"job_title": "Senior reporter"})
    assert (author.name, author.job_title) == ("Old Name", "Senior reporter")


def test_invalid_values_are_refused_with_field_messages(editor):
    with pytest.raises(ValidationError) as error:
        author_create(user=editor, name="A", website_url="not a url", email="nope")
    assert {"website_url", "email"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        author_update(user=editor, author=AuthorFactory(), data={"is_admin": True})


def test_a_fake_photo_is_refused(editor):
    fake = ContentFile(b"this is text", name="photo.jpg")
    with pytest.raises(ValidationError) as error:
        author_create(user=editor, name="A", photo=fake)
    assert "photo" in error.value.message_dict
    assert not Author.objects.exists()


def test_a_real_photo_is_stored_with_its_size(editor):
    author = author_create(user=editor, name="A", photo=jpeg((200, 150)))
    assert (author.photo_width, author.photo_height) == (200, 150)


def test_a_login_belongs_to_one_author(editor):
    account = UserFactory(reporter=True)
    AuthorFactory(user=account)
    with pytest.raises(ValidationError) as error:
        author_create(user=editor, name="Twin", account=account)
    assert "user" in error.value.message_dict


def test_a_taken_slug_is_refused(editor):
    AuthorFactory(slug="taken")
    with pytest.raises(ValidationError) as error:
        author_update(user=editor, author=AuthorFactory(), data={"slug": "taken"})
    assert "slug" in error.value.message_dict
