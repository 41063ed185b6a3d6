"""Structured data for search engines: schema.org NewsArticle and the publisher."""

from django.utils import timezone
from django.utils.html import strip_tags

from articles.renditions import hero_image_urls
from core.links import absolute_url


def _iso(value) -> str | None:
    # To the second, as the page's <time> elements give it.
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else None


def publisher_json_ld(site) -> dict:
    data = {
        "@type": "NewsMediaOrganization",
        "name": site.site_name,
        "url": absolute_url("/"),
    }
    if site.logo:
        data["logo"] = {
            "@type": "ImageObject",
            "url": absolute_url(site.logo.url),
            "width": site.logo_width,
            "height": site.logo_height,
        }
    same_as = [url for _, url in site.social_links]
    if same_as:
        data["sameAs"] = same_as
    return data


def site_json_ld(site) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.site_name,
        "url": absolute_url("/"),
        "potentialAction": {
            "@type": "SearchAction",
            "target": absolute_url("/search/?q={search_term_string}"),
            "query-input": "required name=search_term_string",
        },
        "publisher": publisher_json_ld(site),
    }


def article_json_ld(article, *, bylines, corrections, site, tags) -> dict:
    """NewsArticle with every byline author, the publisher, the image and each correction."""
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
    images = hero_image_urls(article)
    if images:
        data["image"] = [absolute_url(src) for src, _width in images]
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
