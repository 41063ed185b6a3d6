"""Hero images: upload validation in the admin, and the WebP renditions the worker makes."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from articles import images
from articles.image_tasks import article_hero_renditions_task
from articles.models import Article
from articles.services.editing import article_create, article_update
from articles.tests.admin_helpers import form_fields
from articles.tests.factories import ArticleFactory, SectionFactory
from core.validators import MAX_IMAGE_BYTES
from outbox.models import Event
from outbox.services import event_process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def picture(width=2000, height=1000, fmt="JPEG", mode="RGB") -> bytes:
    image = Image.new(mode, (width, height), (200, 80, 40, 128)[: len(mode)])
    for x in range(0, width, 50):
        image.paste((20, 20, 160, 255)[: len(mode)], (x, 0, x + 10, height))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def with_hero(editor, data: bytes, name="hero.jpg") -> Article:
    return article_create(
        user=editor,
        title="Storm hits the coast",
        section=SectionFactory(),
        hero_image=ContentFile(data, name=name),
        hero_alt="Waves over the sea wall",
    )


def upload_through_admin(client, article, upload, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_fields(client.get(url).content)
    data.update(hero_image=upload, **changes)
    return client.post(url, data)


# ---------------------------------------------------------------------------
# Validation in the admin
# ---------------------------------------------------------------------------
def test_a_text_file_named_jpg_is_refused(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    fake = SimpleUploadedFile("photo.jpg", b"just some text, not a picture", "image/jpeg")
    response = upload_through_admin(client, article, fake, hero_alt="A photo")
    assert response.status_code == 200
    assert "valid image" in response.content.decode()
    article.refresh_from_db()
    assert not article.hero_image


def test_an_image_over_10_mb_is_refused(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    data = picture(200, 100)
    big = SimpleUploadedFile("big.jpg", data + b"\0" * (MAX_IMAGE_BYTES + 1 - len(data)))
    response = upload_through_admin(client, article, big, hero_alt="A photo")
    assert response.status_code == 200
    assert "the limit is 10" in response.content.decode()
    article.refresh_from_db()
    assert not article.hero_image


def test_an_image_needs_alt_text(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    upload = SimpleUploadedFile("ok.jpg", picture(300, 200), "image/jpeg")
    response = upload_through_admin(client, article, upload, hero_alt="")
    assert response.status_code == 200
    assert "Describe the hero image" in response.content.decode()


def test_a_valid_upload_is_stored_and_queues_renditions(client, editor):
    article = ArticleFactory(hero_renditions={"480": "articles/renditions/old-480.webp"})
    client.force_login(editor)
    upload = SimpleUploadedFile("harbour.png", picture(800, 400, fmt="PNG"), "image/png")
    response = upload_through_admin(client, article, upload, hero_alt="The harbour at dawn")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.hero_image.name.endswith(".png")
    assert (article.hero_image_width, article.hero_image_height) == (800, 400)
    assert default_storage.exists(article.hero_image.name)
    assert article.hero_renditions == {}  # the old ones belonged to another image
    event = Event.objects.get(topic="article.hero_image_changed")
    assert event.payload == {"article_id": article.pk}


def test_an_edit_that_keeps_the_image_does_not_reread_or_requeue_it(client, editor):
    article = with_hero(editor, picture(600, 300))
    Event.objects.all().delete()
    default_storage.delete(article.hero_image.name)  # even a missing original blocks nothing
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_fields(client.get(url).content)
    data["title"] = "Storm hits the coast again"
    assert client.post(url, data).status_code == 302
    assert not Event.objects.filter(topic="article.hero_image_changed").exists()


# ---------------------------------------------------------------------------
# Renditions
# ---------------------------------------------------------------------------
def test_renditions_are_webp_at_480_960_and_1600_and_the_original_is_kept(editor):
    article = with_hero(editor, picture(2000, 1000))
    renditions = article_hero_renditions_task(article.pk)
    assert sorted(renditions, key=int) == ["480", "960", "1600"]
    article.refresh_from_db()
    assert article.hero_renditions == renditions
    for width, name in renditions.items():
        with default_storage.open(name, "rb") as stored, Image.open(stored) as image:
            assert image.format == "WEBP"
            assert image.size == (int(width), int(width) // 2)
    assert default_storage.exists(article.hero_image.name)
    with default_storage.open(article.hero_image.name, "rb") as original:
        assert Image.open(original).size == (2000, 1000)


def test_renditions_are_never_wider_than_the_original(editor):
    article = with_hero(editor, picture(300, 200, fmt="PNG", mode="RGBA"), name="small.png")
    renditions = article_hero_renditions_task(article.pk)
    assert list(renditions) == ["300"]
    with default_storage.open(renditions["300"], "rb") as stored, Image.open(stored) as image:
        assert image.mode == "RGBA"  # transparency survives


def test_running_twice_changes_nothing(editor, media):
    article = with_hero(editor, picture(1200, 600))
    first = article_hero_renditions_task(article.pk)
    files = sorted(p.name for p in (media / "articles" / "renditions").rglob("*.webp"))
    assert article_hero_renditions_task(article.pk) == first
    assert sorted(p.name for p in (media / "articles" / "renditions").rglob("*.webp")) == files
    assert len(files) == 6  # 480, 960 and 1200 wide; 16:9, 4:3 and 1:1


def test_crops_are_16x9_4x3_and_1x1_centred_and_never_upscaled(editor):
    article = with_hero(editor, picture(2000, 1000))
    article_hero_renditions_task(article.pk)
    article.refresh_from_db()
    assert set(article.hero_crops) == {"16x9", "4x3", "1x1"}
    sizes = {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1000, 1000)}
    for key, crop in article.hero_crops.items():
        assert (crop["width"], crop["height"]) == sizes[key]
        assert crop["bytes"] == default_storage.size(crop["name"])
        with default_storage.open(crop["name"], "rb") as stored, Image.open(stored) as image:
            assert image.format == "WEBP"
            assert image.size == sizes[key]
    # A stripe every 50 px from the left edge: the 1:1 crop starts 500 px in, on a stripe.
    with default_storage.open(article.hero_crops["1x1"]["name"], "rb") as stored:
        first = Image.open(stored).convert("RGB").getpixel((2, 500))
    assert first[2] > 120 and first[0] < 80  # the stripes' blue, not the background's orange

    small = with_hero(editor, picture(300, 200), name="small.jpg")
    article_hero_renditions_task(small.pk)
    small.refresh_from_db()
    assert {key: (c["width"], c["height"]) for key, c in small.hero_crops.items()} == {
        "16x9": (300, 169),
        "4x3": (267, 200),
        "1x1": (200, 200),
    }


def test_crop_box_is_the_largest_centred_box_of_the_ratio():
    assert images.crop_box(2000, 1000, (1, 1)) == (500, 0, 1500, 1000)
    assert images.crop_box(1000, 2000, (16, 9)) == (0, 719, 1000, 1281)
    assert images.crop_box(1600, 900, (16, 9)) == (0, 0, 1600, 900)


def test_a_new_image_replaces_the_old_renditions(editor):
    article = with_hero(editor, picture(1000, 500))
    old = article_hero_renditions_task(article.pk)
    article = article_update(
        user=editor,
        article=article,
        data={"hero_image": ContentFile(picture(700, 700), name="other.jpg")},
        expected_version=article.version,
    )
    assert article.hero_renditions == {} and article.hero_crops == {}
    new = article_hero_renditions_task(article.pk)
    assert list(new) == ["480", "700"]
    assert not any(default_storage.exists(name) for name in old.values())
    assert all(default_storage.exists(name) for name in new.values())
    article.refresh_from_db()
    assert article.hero_crops["16x9"]["width"] == 700
    assert len(default_storage.listdir(images.rendition_dir(article.pk))[1]) == 5


def test_removing_the_image_removes_its_renditions(editor):
    article = with_hero(editor, picture(1000, 500))
    old = article_hero_renditions_task(article.pk)
    article = article_update(
        user=editor, article=article, data={"hero_image": ""}, expected_version=article.version
    )
    assert article_hero_renditions_task(article.pk) == {}
    assert not any(default_storage.exists(name) for name in old.values())
    article.refresh_from_db()
    assert article.hero_crops == {}
    assert default_storage.listdir(images.rendition_dir(article.pk))[1] == []


def test_an_image_changed_while_renditions_are_made_is_left_to_the_newer_run(editor, monkeypatch):
    article = with_hero(editor, picture(1000, 500))
    newer = default_storage.save("articles/newer.jpg", ContentFile(picture(800, 400)))
    real_write = images._write

    def write_then_change(name, data):
        Article.objects.filter(pk=article.pk).update(hero_image=newer)
        return real_write(name, data)

    monkeypatch.setattr(images, "_write", write_then_change)
    assert article_hero_renditions_task(article.pk) is None
    article.refresh_from_db()
    assert article.hero_renditions == {}
    assert default_storage.listdir(images.rendition_dir(article.pk))[1] == []


def test_missing_article_or_unreadable_image_is_skipped_quietly(editor):
    assert article_hero_renditions_task(987654) is None
    article = with_hero(editor, picture(600, 300))
    with default_storage.open(article.hero_image.name, "wb") as broken:
        broken.write(b"corrupted after upload")
    assert article_hero_renditions_task(article.pk) is None
    default_storage.delete(article.hero_image.name)
    assert article_hero_renditions_task(article.pk) is None


def test_the_outbox_event_makes_the_renditions(editor):
    article = with_hero(editor, picture(1000, 500))
    event = Event.objects.get(topic="article.hero_image_changed", payload__article_id=article.pk)
    assert event_process(event_id=event.pk) == "processed"
    article.refresh_from_db()
    assert sorted(article.hero_renditions, key=int) == ["480", "960", "1000"]


def test_the_command_makes_the_crops_older_articles_lack(editor):
    article = with_hero(editor, picture(1600, 900))
    renditions = article_hero_renditions_task(article.pk)
    Article.objects.filter(pk=article.pk).update(hero_crops={})  # made before crops existed
    without = ArticleFactory()  # no image: nothing to do
    out = io.StringIO()
    call_command("hero_renditions", stdout=out)
    assert "1 with their renditions and crops, 0 skipped" in out.getvalue()
    article.refresh_from_db()
    assert set(article.hero_crops) == {"16x9", "4x3", "1x1"}
    assert article.hero_renditions == renditions
    assert images.article_ids_missing_renditions() == []
    assert images.article_ids_missing_renditions(every=True) == [article.pk]
    assert without.pk not in images.article_ids_missing_renditions(every=True)
