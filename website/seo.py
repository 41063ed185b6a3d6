"""Structured data for search engines (schema.org as JSON-LD) and the pictures link previews
show: the publisher with its logo, NewsArticle with its images in the shapes Google asks for
(16:9, 4:3 and 1:1) and its breadcrumbs, section, tag and archive pages as CollectionPage,
author pages as ProfilePage.

A page without a picture of its own shows the site's default image (a site setting), else a
plain one shipped with the site; the publisher's logo is the site's, else a plain one too."""

from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import strip_tags

from articles.renditions import hero_crops, hero_image_urls
from core.links import absolute_url

# The pictures used where the site has none: (path under static, width, height).
DEFAULT_IMAGES = (
    ("website/default-image-16x9.png", 1200, 675),
    ("website/default-image-4x3.png", 1200, 900),
    ("website/default-image-1x1.png", 1200, 1200),
)
DEFAULT_LOGO = ("website/publisher-logo.png", 512, 512)


def _iso(value) -> str | None:
    # To the second, as the page's <time> elements give it.
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else None


# ---------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------
def default_images(site) -> list[dict]:
    """The site's default image, else the plain ones (16:9, 4:3, 1:1): ``url`` (absolute),
    ``width``, ``height``."""
    if site.default_image:
        return [
            {
                "url": absolute_url(site.default_image.url),
                "width": site.default_image_width,
                "height": site.default_image_height,
            }
        ]
    return [
        {"url": absolute_url(static(path)), "width": width, "height": height}
        for path, width, height in DEFAULT_IMAGES
    ]


def share_image(site) -> dict:
    """The one picture link previews show for a page without its own."""
    return default_images(site)[0]


def article_images(article, site) -> list[str]:
    """Absolute URLs of the article's picture for search engines: its 16:9, 4:3 and 1:1 crops,
    the widest rendition until the worker made them, the default images without a picture."""
    crops = hero_crops(article)
    if crops:
        return [absolute_url(crop["url"]) for crop in crops]
    images = hero_image_urls(article)
    if images:
        return [absolute_url(images[-1][0])]
    return [image["url"] for image in default_images(site)]


def _logo(site) -> dict:
    if site.logo:
        url, width, height = absolute_url(site.logo.url), site.logo_width, site.logo_height
    else:
        path, width, height = DEFAULT_LOGO
        url = absolute_url(static(path))
    return {"@type": "ImageObject", "url": url, "width": width, "height": height}


# ---------------------------------------------------------------------------
# The site and its publisher
# ---------------------------------------------------------------------------
def publisher_json_ld(site) -> dict:
    data = {
        "@type": "NewsMediaOrganization",
        "name": site.site_name,
        "url": absolute_url("/"),
        "logo": _logo(site),
    }
    same_as = [url for _, url in site.social_links]
    if same_as:
        data["sameAs"] = same_as
    return data


def _website(site) -> dict:
    return {"@type": "WebSite", "name": site.site_name, "url": absolute_url("/")}


def site_json_ld(site) -> dict:
    # No SearchAction: search is disallowed in robots.txt, and Google retired the sitelinks
    # search box it fed.
    return {
        "@context": "https://schema.org",
        **_website(site),
        "publisher": publisher_json_ld(site),
    }


def breadcrumbs_json_ld(*crumbs: tuple[str, str]) -> dict:
    """BreadcrumbList from the home page down: ``crumbs`` are (name, path or URL)."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute_url(url)}
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------
def article_json_ld(article, *, bylines, corrections, site, tags) -> dict:
    """NewsArticle with every byline author, the publisher, the images and each correction."""
    url = absolute_url(article.get_absolute_url())
    published = article.published_at or article.publish_at or article.created_at
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.meta_description or article.dek,
        "datePublished": _iso(published),
        "dateModified": _iso(article.updated_at or published),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "image": article_images(article, site),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in tags],
        "wordCount": article.word_count,
        "isAccessibleForFree": True,
        "author": [
            {
                "@type": "Person",
                "name": byline.author.name,
                "url": absolute_url(byline.author.get_absolute_url()),
                **({"jobTitle": byline.author.job_title} if byline.author.job_title else {}),
            }
            for byline in bylines
        ],
        "publisher": publisher_json_ld(site),
    }
    notes = [
        {
            "@type": "CorrectionComment",
            "text": f"{c.get_kind_display()}: {strip_tags(c.text)}",
            "datePublished": _iso(c.noted_at),
        }
        for c in corrections
    ]
    if notes:
        data["correction"] = notes
    return data


def article_breadcrumbs_json_ld(article) -> dict:
    return breadcrumbs_json_ld(
        ("Home", "/"),
        (article.section.name, article.section.get_absolute_url()),
        (article.title, article.get_absolute_url()),
    )


# ---------------------------------------------------------------------------
# Lists and people
# ---------------------------------------------------------------------------
def collection_json_ld(*, name: str, description: str, url: str, articles, site) -> dict:
    """CollectionPage (a section, a tag, a month of the archive) listing the articles shown."""
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "description": description,
        "url": absolute_url(url),
        "isPartOf": _website(site),
        "publisher": publisher_json_ld(site),
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": absolute_url(article.get_absolute_url()),
                    "name": article.title,
                }
                for position, article in enumerate(articles, start=1)
            ],
        },
    }


def author_json_ld(author, *, site) -> dict:
    """ProfilePage whose main entity is the author as a Person."""
    url = absolute_url(author.get_absolute_url())
    person = {
        "@type": "Person",
        "name": author.name,
        "url": url,
        "worksFor": {
            "@type": "NewsMediaOrganization",
            "name": site.site_name,
            "url": absolute_url("/"),
        },
    }
    if author.job_title:
        person["jobTitle"] = author.job_title
    if author.bio:
        person["description"] = " ".join(author.bio.split())
    if author.photo:
        person["image"] = absolute_url(author.photo.url)
    same_as = [link for _, link in author.social_links]
    if same_as:
        person["sameAs"] = same_as
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "name": author.name,
        "url": url,
        "isPartOf": _website(site),
        "mainEntity": person,
    }
