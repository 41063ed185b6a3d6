"""Hero image renditions for readers: WebP copies at a few widths, made by the worker.

The uploaded original is kept untouched. Renditions are written through Django's default
storage (local disk or object storage) and listed in ``Article.hero_renditions`` as
``{"<width>": "<storage name>"}``; articles/renditions.py turns that into a srcset. Nothing is
ever upscaled: an image 800 px wide gets 480 and 800, one 300 px wide gets 300.

Beside them, centred crops in the shapes search engines ask for (16:9, 4:3 and 1:1, up to
CROP_WIDTH wide; Google's Article structured data), recorded in ``Article.hero_crops`` with
their size in pixels and bytes (feeds' enclosures give the length).
"""

import hashlib
import io
import logging
import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from . import purges
from .models import Article

logger = logging.getLogger(__name__)

RENDITION_WIDTHS = (480, 960, 1600)
RENDITION_ROOT = "articles/renditions"
ENTRY_RENDITION_ROOT = "live/renditions"
# A live entry's picture is shown in the column of updates: no wider copy is needed.
ENTRY_RENDITION_WIDTHS = (480, 960)
WEBP_QUALITY = 82
# Width and height ratios of the crops, by the name they are recorded under.
CROP_RATIOS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
CROP_WIDTH = 1200


def rendition_widths(source_width: int) -> list[int]:
    """The widths to make for an image ``source_width`` pixels wide, never wider than it."""
    return sorted({min(width, source_width) for width in RENDITION_WIDTHS if source_width > 0})


def rendition_dir(article_id: int) -> str:
    return f"{RENDITION_ROOT}/{article_id}"


def rendition_name(article_id: int, source_name: str, label: int | str) -> str:
    """Named after the original, so a new upload never reuses an old rendition's URL; ``label``
    is the width, or the crop's name."""
    return _named(rendition_dir(article_id), source_name, label)


def _named(directory: str, source_name: str, label: int | str) -> str:
    stem = posixpath.splitext(posixpath.basename(source_name))[0][:60] or "image"
    digest = hashlib.sha256(source_name.encode()).hexdigest()[:10]
    return f"{directory}/{stem}-{digest}-{label}.webp"


def entry_rendition_dir(entry_id: int) -> str:
    return f"{ENTRY_RENDITION_ROOT}/{entry_id}"


def crop_box(width: int, height: int, ratio: tuple[int, int]) -> tuple[int, int, int, int]:
    """The largest centred box of ``ratio`` (width, height) inside a width x height image."""
    ratio_w, ratio_h = ratio
    if width * ratio_h > height * ratio_w:  # wider than the ratio: trim the sides
        box_width = max(1, round(height * ratio_w / ratio_h))
        left = (width - box_width) // 2
        return (left, 0, left + box_width, height)
    box_height = max(1, round(width * ratio_h / ratio_w))
    top = (height - box_height) // 2
    return (0, top, width, top + box_height)


def _crop_plan(image: Image.Image) -> dict[str, tuple[tuple[int, int, int, int], int, int]]:
    """Each crop's box in the image and its size once scaled: {name: (box, width, height)}."""
    plan = {}
    for name, ratio in CROP_RATIOS.items():
        box = crop_box(image.width, image.height, ratio)
        box_width, box_height = box[2] - box[0], box[3] - box[1]
        width = min(CROP_WIDTH, box_width)
        plan[name] = (box, width, max(1, round(box_height * width / box_width)))
    return plan


def _prepare(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    return image.convert("RGBA" if has_alpha else "RGB")


def _encode(image: Image.Image, width: int) -> bytes:
    if image.width != width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
    return buffer.getvalue()


def _write(name: str, data: bytes) -> str:
    # Storages pick another name when one is taken; the same name keeps URLs predictable.
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def _remove_stale(article_id: int, keep: set[str]) -> None:
    _remove_stale_in(rendition_dir(article_id), keep)


def _remove_stale_in(directory: str, keep: set[str]) -> None:
    try:
        _, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotImplementedError):
        return
    for filename in files:
        name = f"{directory}/{filename}"
        if name not in keep:
            default_storage.delete(name)


def _read(source_name: str, widest: int, *, extra: dict) -> Image.Image | None:
    """The stored image, upright and in RGB(A), or None (logged) when it is missing or cannot
    be read."""
    try:
        with default_storage.open(source_name, "rb") as source, Image.open(source) as image:
            # JPEGs decode at a reduced scale when they are far wider than the largest rendition.
            image.draft(None, (widest, 1))
            return _prepare(image)
    except FileNotFoundError:
        logger.warning(
            "Renditions skipped: the original image is missing from storage",
            extra={**extra, "image": source_name},
        )
    except (UnidentifiedImageError, Image.DecompressionBombError, SyntaxError, ValueError):
        logger.warning(
            "Renditions skipped: the original image cannot be read",
            extra={**extra, "image": source_name},
        )
    return None


def article_hero_renditions_generate(*, article_id: int) -> dict[str, str] | None:
    """Make the renditions of the article's current hero image and record them.

    Idempotent: renditions already made for this image are kept. Returns the renditions, or
    None when the article is gone, its image cannot be read, or the image changed meanwhile (the
    newer change queued its own run). Storage errors propagate so the caller retries.
    """
    article = (
        Article.objects.filter(pk=article_id)
        .only("pk", "status", "first_published_at", "hero_image", "hero_renditions", "hero_crops")
        .first()
    )
    if article is None:
        logger.info("Renditions skipped: the article is gone", extra={"article_id": article_id})
        return None
    source_name = article.hero_image.name if article.hero_image else ""
    if not source_name:
        _remove_stale(article_id, keep=set())
        if article.hero_renditions or article.hero_crops:
            Article.objects.filter(pk=article_id, hero_image="").update(
                hero_renditions={}, hero_crops={}
            )
        return {}

    prepared = _read(source_name, max(RENDITION_WIDTHS), extra={"article_id": article_id})
    if prepared is None:
        return None

    expected = {
        str(width): rendition_name(article_id, source_name, width)
        for width in rendition_widths(prepared.width)
    }
    plan = _crop_plan(prepared)
    expected_crops = {name: rendition_name(article_id, source_name, name) for name in plan}
    made_crops = {name: (crop or {}).get("name") for name, crop in article.hero_crops.items()}
    if (
        article.hero_renditions == expected
        and made_crops == expected_crops
        and all(default_storage.exists(name) for name in [*expected.values(), *made_crops.values()])
    ):
        return expected

    renditions = {key: _write(name, _encode(prepared, int(key))) for key, name in expected.items()}
    crops = {}
    for key, (box, width, height) in plan.items():
        data = _encode(prepared.crop(box), width)
        name = _write(expected_crops[key], data)
        crops[key] = {"name": name, "width": width, "height": height, "bytes": len(data)}
    written = [*renditions.values(), *(crop["name"] for crop in crops.values())]
    with transaction.atomic():
        # Only if the image is still the one these were made from.
        updated = Article.objects.filter(pk=article_id, hero_image=source_name).update(
            hero_renditions=renditions, hero_crops=crops
        )
        if updated and article.status == Article.Status.PUBLISHED:
            purges.article_shown_changed(article)
    if not updated:
        for name in written:
            default_storage.delete(name)
        return None
    _remove_stale(article_id, keep=set(written))
    logger.info(
        "Hero renditions made", extra={"article_id": article_id, "widths": sorted(renditions)}
    )
    return renditions


def article_ids_missing_renditions(*, every: bool = False) -> list[int]:
    """Articles with a hero image whose crops were never made (made before crops existed, or
    while the worker was away); with ``every``, all articles with a hero image."""
    qs = Article.objects.exclude(hero_image="")
    if not every:
        qs = qs.filter(hero_crops={})
    return list(qs.order_by("pk").values_list("pk", flat=True))


def entry_image_renditions_generate(*, entry_id: int) -> dict[str, str] | None:
    """Make the WebP renditions of a live entry's picture and record them, as for hero images
    (idempotent; None when the entry is gone, its picture unreadable or changed meanwhile)."""
    from .models import Entry

    entry = Entry.objects.filter(pk=entry_id).select_related("article").first()
    if entry is None:
        logger.info("Renditions skipped: the entry is gone", extra={"entry_id": entry_id})
        return None
    directory = entry_rendition_dir(entry_id)
    source_name = entry.image.name if entry.image else ""
    if not source_name:
        _remove_stale_in(directory, keep=set())
        if entry.image_renditions:
            Entry.objects.filter(pk=entry_id, image="").update(image_renditions={})
        return {}
    prepared = _read(source_name, max(ENTRY_RENDITION_WIDTHS), extra={"entry_id": entry_id})
    if prepared is None:
        return None
    widths = sorted({min(width, prepared.width) for width in ENTRY_RENDITION_WIDTHS})
    expected = {str(width): _named(directory, source_name, width) for width in widths}
    if entry.image_renditions == expected and all(
        default_storage.exists(name) for name in expected.values()
    ):
        return expected
    renditions = {key: _write(name, _encode(prepared, int(key))) for key, name in expected.items()}
    with transaction.atomic():
        updated = Entry.objects.filter(pk=entry_id, image=source_name).update(
            image_renditions=renditions
        )
        if updated and entry.article.status == Article.Status.PUBLISHED:
            purges.live_entries_changed(entry.article)
    if not updated:
        for name in renditions.values():
            default_storage.delete(name)
        return None
    _remove_stale_in(directory, keep=set(renditions.values()))
    logger.info("Entry renditions made", extra={"entry_id": entry_id, "widths": sorted(renditions)})
    return renditions
