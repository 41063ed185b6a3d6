"""URLs of an article's hero image for readers: the worker's WebP renditions (widths in
``hero_renditions``) and the original, smallest first."""

from django.core.files.storage import default_storage


def hero_image_urls(article) -> list[tuple[str, int]]:
    """[(url, width), ...] smallest first; empty when the article has no image."""
    urls: dict[int, str] = {}
    for width, path in (article.hero_renditions or {}).items():
        try:
            width = int(width)
        except (TypeError, ValueError):
            continue
        if width > 0 and isinstance(path, str) and path:
            urls[width] = default_storage.url(path)
    if article.hero_image and article.hero_image_width:
        urls.setdefault(article.hero_image_width, article.hero_image.url)
    elif article.hero_image and not urls:
        return [(article.hero_image.url, 0)]
    return sorted(((url, width) for width, url in urls.items()), key=lambda item: item[1])


def hero_srcset(article) -> dict | None:
    """What an <img> needs: src (a mid-size rendition), srcset, width and height."""
    images = hero_image_urls(article)
    if not images:
        return None
    with_width = [(url, w) for url, w in images if w]
    if not with_width:
        return {"src": images[0][0], "srcset": "", "width": None, "height": None}
    src, width = next(((u, w) for u, w in with_width if w >= 960), with_width[-1])
    height = None
    if article.hero_image_width and article.hero_image_height:
        height = round(width * article.hero_image_height / article.hero_image_width)
    return {
        "src": src,
        "srcset": ", ".join(f"{url} {w}w" for url, w in with_width),
        "width": width,
        "height": height,
        "smallest": with_width[0][0],
    }
