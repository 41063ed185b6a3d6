"""URLs of an article's hero image for readers: the worker's WebP renditions (widths in
``hero_renditions``) and the original, smallest first; its crops (``hero_crops``); the one
picture feeds carry."""

import mimetypes

from django.core.files.storage import default_storage

# The crops articles/images.py makes, in the order search engines get them.
CROPS = ("16x9", "4x3", "1x1")


def hero_image_urls(article) -> list[tuple[str, int]]:
    """[(url, width), ...] smallest first; empty when the article has no image."""
    return _image_urls(article.hero_renditions, article.hero_image, article.hero_image_width)


def _image_urls(renditions, image, image_width) -> list[tuple[str, int]]:
    urls: dict[int, str] = {}
    for width, path in (renditions or {}).items():
        try:
            width = int(width)
        except (TypeError, ValueError):
            continue
        if width > 0 and isinstance(path, str) and path:
            urls[width] = default_storage.url(path)
    if image and image_width:
        urls.setdefault(image_width, image.url)
    elif image and not urls:
        return [(image.url, 0)]
    return sorted(((url, width) for width, url in urls.items()), key=lambda item: item[1])


def hero_srcset(article) -> dict | None:
    """What an <img> needs: src (a mid-size rendition), srcset, width and height."""
    return _srcset(
        hero_image_urls(article), article.hero_image_width, article.hero_image_height, 960
    )


def entry_image_srcset(entry) -> dict | None:
    """The same for a live entry's picture (its renditions are at most 960 wide)."""
    images = _image_urls(entry.image_renditions, entry.image, entry.image_width)
    return _srcset(images, entry.image_width, entry.image_height, 480)


def _srcset(images, image_width, image_height, src_width: int) -> dict | None:
    if not images:
        return None
    with_width = [(url, w) for url, w in images if w]
    if not with_width:
        return {"src": images[0][0], "srcset": "", "width": None, "height": None}
    src, width = next(((u, w) for u, w in with_width if w >= src_width), with_width[-1])
    height = None
    if image_width and image_height:
        height = round(width * image_height / image_width)
    return {
        "src": src,
        "srcset": ", ".join(f"{url} {w}w" for url, w in with_width),
        "width": width,
        "height": height,
        "smallest": with_width[0][0],
    }


def _image(name: str, url: str, width, height, size) -> dict:
    return {
        "url": url,
        "width": width or None,
        "height": height or None,
        # 0 when unknown, as the RSS Advisory Board's profile asks of enclosures.
        "bytes": size if isinstance(size, int) and size > 0 else 0,
        "type": mimetypes.guess_type(name)[0] or "application/octet-stream",
    }


def hero_crops(article) -> list[dict]:
    """The hero image's crops, 16:9, 4:3 and 1:1, as ``url``, ``width``, ``height``, ``bytes``
    and ``type``; empty when the article has no image or the worker has not made them yet."""
    crops = []
    for key in CROPS:
        crop = (article.hero_crops or {}).get(key)
        name = crop.get("name") if isinstance(crop, dict) else None
        if isinstance(name, str) and name:
            url = default_storage.url(name)
            crops.append(
                _image(name, url, crop.get("width"), crop.get("height"), crop.get("bytes"))
            )
    return crops


def hero_feed_image(article) -> dict | None:
    """The one picture of the article that feeds carry (enclosure, media:content): the 16:9
    crop, else the widest rendition, else the original; None without an image."""
    crops = hero_crops(article)
    if crops:
        return crops[0]
    images = hero_image_urls(article)
    if not images:
        return None
    url, width = images[-1]
    height = None
    if width and article.hero_image_width and article.hero_image_height:
        height = round(width * article.hero_image_height / article.hero_image_width)
    return _image(url.split("?", 1)[0], url, width, height, 0)
