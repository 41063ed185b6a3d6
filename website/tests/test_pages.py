import json
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from articles.models import Correction, RelatedLink, SlugRedirect
from articles.tests.factories import BylineFactory, SectionFactory
from articles.tests.site_helpers import published
from authors.tests.factories import AuthorFactory
from publication.models import AdSlot, SiteSettings
from website.views import render_article_preview, server_error

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def full_article():
    """A published article with two bylines, tags, a correction, related links and more."""
    world = SectionFactory(name="World", slug="world")
    ada = AuthorFactory(name="Ada Reyes", slug="ada-reyes", job_title="Senior correspondent")
    ben = AuthorFactory(name="Ben Okafor", slug="ben-okafor", job_title="Photographer")
    article = published(
        section=world,
        title="Harbour plan approved after two years",
        slug="harbour-plan-approved",
        dek="The council voted 31 to 12.",
        body="<p>The vote came late.</p><h2>What next</h2><p>Building starts in spring.</p>",
        tags=["harbour", "council"],
        hero_alt="Cranes over the harbour",
        hero_caption="The harbour at dawn.",
        hero_credit="Photo: Ben Okafor",
        hero_renditions={"480": "renditions/h-480.webp", "960": "renditions/h-960.webp"},
        updated_at=timezone.now() - timedelta(minutes=10),
        credit_line="With reporting by Reuters",
    )
    BylineFactory(article=article, author=ada, position=0)
    BylineFactory(article=article, author=ben, role="Photos by", position=1)
    Correction.objects.create(
        article=article, kind="correction", text="An earlier version misstated the vote."
    )
    older = published(section=world, title="Harbour plan goes to vote", ago=timedelta(days=3))
    RelatedLink.objects.create(article=article, target=older, position=0)
    RelatedLink.objects.create(
        article=article, url="https://example.org/plan.pdf", title="Read the plan", position=1
    )
    site = SiteSettings.load()
    site.site_name = "The Harbour Herald"
    site.twitter_url = "https://x.com/herald"
    site.postal_address = "1 Quay Street\nPort Town"
    site.save()
    AdSlot.objects.create(
        name="Bakery", placement="article", html='<a href="https://bakery.example">Fresh bread</a>'
    )
    return article


def get(client, url, **extra):
    return client.get(url, **extra)


def test_article_page_shows_every_block_in_order(client, full_article):
    response = get(client, full_article.get_absolute_url())
    html = response.content.decode()
    html = html[html.index("<body") :]

    assert response.status_code == 200
    order = [
        'class="topbar"',
        'class="kicker"><a href="/section/world/">World</a>',
        "Harbour plan approved after two years</h1>",
        "The council voted 31 to 12.",
        'By <a href="/author/ada-reyes/" rel="author">Ada Reyes</a>',
        'Photos by <a href="/author/ben-okafor/" rel="author">Ben Okafor</a>',
        "With reporting by Reuters",
        "Published <time",
        "Updated <time",
        "min read",
        'srcset="/media/renditions/h-480.webp 480w, /media/renditions/h-960.webp 960w"',
        "The harbour at dawn.",
        "Photo: Ben Okafor",
        "<h2>What next</h2>",
        'href="/tag/harbour/"',
        "Corrections and updates",
        "An earlier version misstated the vote.",
        "Share</h2>",
        'class="author-box"',
        "Senior correspondent",
        "Related Articles",
        "Harbour plan goes to vote",
        "Read the plan",
        'id="comments"',
        "Stay Connected",
        'href="https://x.com/herald"',
        "- Advertisement -",
        "Fresh bread",
        "Latest Articles",
        'href="/about/"',
        'href="/privacy/"',
    ]
    positions = [html.find(marker) for marker in order]
    missing = [m for m, p in zip(order, positions, strict=True) if p < 0]
    assert not missing, missing
    assert positions == sorted(positions)


def test_article_json_ld_is_a_valid_news_article(client, full_article):
    html = get(client, full_article.get_absolute_url()).content.decode()
    blocks = [json.loads(b) for b in JSON_LD.findall(html)]
    data = next(b for b in blocks if b["@type"] == "NewsArticle")

    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Harbour plan approved after two years"
    assert data["datePublished"].startswith(
        str(timezone.localtime(full_article.published_at).date())
    )
    assert data["dateModified"] > data["datePublished"]
    assert [a["name"] for a in data["author"]] == ["Ada Reyes", "Ben Okafor"]
    assert all(a["@type"] == "Person" for a in data["author"])
    assert data["author"][0]["url"].endswith("/author/ada-reyes/")
    assert data["publisher"]["name"] == "The Harbour Herald"
    assert data["mainEntityOfPage"]["@id"].endswith(full_article.get_absolute_url())
    assert data["articleSection"] == "World"
    assert set(data["keywords"]) == {"harbour", "council"}
    assert data["image"][-1].endswith("/media/renditions/h-960.webp")
    assert data["correction"][0]["@type"] == "CorrectionComment"
    assert "misstated the vote" in data["correction"][0]["text"]


# HTML's valid date string or global date and time string: at most three fractional digits.
HTML_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2}))?"
)


def test_every_time_element_carries_a_value_html_accepts(client, full_article):
    from comments.tests.factories import CommentFactory

    CommentFactory(article=full_article, body="A reader's view.")
    local = timezone.localtime(full_article.published_at)
    urls = [
        full_article.get_absolute_url(),
        "/",
        "/section/world/",
        "/search/?q=harbour",
        f"/archive/{local:%Y/%m}/",
        "/_fragments/latest/",
        "/_fragments/topbar/",
    ]
    seen = 0
    for url in urls:
        html = get(client, url).content.decode()
        for value in re.findall(r'<time[^>]* datetime="([^"]*)"', html):
            assert HTML_DATETIME.fullmatch(value), (url, value)
            seen += 1
    article = get(client, full_article.get_absolute_url()).content.decode()
    # Published, updated, the correction and the comment.
    assert len(re.findall(r"<time[^>]* datetime=", article.split('id="latest-title"')[0])) >= 4
    assert f'datetime="{local.replace(microsecond=0).isoformat()}"' in article
    assert seen > 10


def test_json_ld_cannot_be_broken_out_of(client):
    article = published(title="</script><script>alert(1)</script>")
    html = get(client, article.get_absolute_url()).content.decode()
    block = JSON_LD.findall(html)[0]
    assert "</script>" not in block
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script>"


def test_article_meta_tags(client, full_article):
    html = get(client, full_article.get_absolute_url()).content.decode()
    canonical = (
        f'<link rel="canonical" href="http://localhost:8000{full_article.get_absolute_url()}">'
    )
    assert canonical in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Harbour plan approved after two years">' in html
    assert 'property="og:image" content="http://localhost:8000/media/renditions/h-960.webp"' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert "<title>Harbour plan approved after two years | The Harbour Herald</title>" in html
    assert 'name="robots"' not in html


def test_canonical_override_is_used(client):
    article = published(canonical_url="https://partner.example/original")
    html = get(client, article.get_absolute_url()).content.decode()
    assert '<link rel="canonical" href="https://partner.example/original">' in html


def json_ld_blocks(html: str) -> dict:
    """The page's JSON-LD blocks by their @type."""
    return {block["@type"]: block for block in map(json.loads, JSON_LD.findall(html))}


DEFAULT_IMAGES = [
    "http://localhost:8000/static/website/default-image-16x9.png",
    "http://localhost:8000/static/website/default-image-4x3.png",
    "http://localhost:8000/static/website/default-image-1x1.png",
]


def test_article_without_a_picture_shows_the_default_image_to_search_engines(client, settings):
    settings.EDGECACHE_ORIGIN_CACHE = False
    article = published(hero_renditions={})
    html = get(client, article.get_absolute_url()).content.decode()
    assert "article__hero" not in html
    assert json_ld_blocks(html)["NewsArticle"]["image"] == DEFAULT_IMAGES
    assert f'<meta property="og:image" content="{DEFAULT_IMAGES[0]}">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    for url in DEFAULT_IMAGES:  # shipped with the site
        assert finders.find(url.split("/static/", 1)[1]), url

    # The site's own default image, once set.
    site = SiteSettings.load()
    SiteSettings.objects.filter(pk=site.pk).update(
        default_image="site/herald.jpg", default_image_width=1600, default_image_height=900
    )
    html = get(client, article.get_absolute_url()).content.decode()
    own = "http://localhost:8000/media/site/herald.jpg"
    assert json_ld_blocks(html)["NewsArticle"]["image"] == [own]
    assert f'<meta property="og:image" content="{own}">' in html
    assert '<meta property="og:image:width" content="1600">' in html


def test_search_engines_get_the_hero_in_16x9_4x3_and_1x1(client, full_article):
    crops = {
        key: {"name": f"r/{key}.webp", "width": 1200, "height": h, "bytes": 100}
        for key, h in (("1x1", 1200), ("16x9", 675), ("4x3", 900))
    }
    type(full_article).objects.filter(pk=full_article.pk).update(hero_crops=crops)
    html = get(client, full_article.get_absolute_url()).content.decode()
    assert json_ld_blocks(html)["NewsArticle"]["image"] == [
        "http://localhost:8000/media/r/16x9.webp",
        "http://localhost:8000/media/r/4x3.webp",
        "http://localhost:8000/media/r/1x1.webp",
    ]


def test_the_publisher_has_a_logo_the_site_s_or_a_plain_one(client, full_article, settings):
    settings.EDGECACHE_ORIGIN_CACHE = False
    html = get(client, full_article.get_absolute_url()).content.decode()
    logo = json_ld_blocks(html)["NewsArticle"]["publisher"]["logo"]
    assert logo == {
        "@type": "ImageObject",
        "url": "http://localhost:8000/static/website/publisher-logo.png",
        "width": 512,
        "height": 512,
    }
    assert finders.find("website/publisher-logo.png")
    SiteSettings.objects.update(logo="site/logo.png", logo_width=600, logo_height=60)
    html = get(client, full_article.get_absolute_url()).content.decode()
    logo = json_ld_blocks(html)["NewsArticle"]["publisher"]["logo"]
    assert (logo["url"], logo["width"]) == ("http://localhost:8000/media/site/logo.png", 600)


def test_articles_carry_breadcrumbs(client, full_article):
    html = get(client, full_article.get_absolute_url()).content.decode()
    crumbs = json_ld_blocks(html)["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", "http://localhost:8000/"),
        (2, "World", "http://localhost:8000/section/world/"),
        (
            3,
            "Harbour plan approved after two years",
            f"http://localhost:8000{full_article.get_absolute_url()}",
        ),
    ]


def test_the_home_page_offers_no_search_action(client, full_article):
    html = get(client, "/").content.decode()
    site = json_ld_blocks(html)["WebSite"]
    assert "potentialAction" not in site and "SearchAction" not in html
    assert site["publisher"]["logo"]["url"].endswith("/static/website/publisher-logo.png")
    assert f'<meta property="og:image" content="{DEFAULT_IMAGES[0]}">' in html


def test_section_and_tag_pages_are_collection_pages_with_link_previews(client, full_article):
    html = get(client, "/section/world/").content.decode()
    blocks = json_ld_blocks(html)
    page = blocks["CollectionPage"]
    assert (page["name"], page["url"]) == ("World", "http://localhost:8000/section/world/")
    assert page["isPartOf"]["url"] == "http://localhost:8000/"
    items = page["mainEntity"]["itemListElement"]
    assert items[0] == {
        "@type": "ListItem",
        "position": 1,
        "url": f"http://localhost:8000{full_article.get_absolute_url()}",
        "name": "Harbour plan approved after two years",
    }
    assert len(items) == 2
    assert [c["name"] for c in blocks["BreadcrumbList"]["itemListElement"]] == ["Home", "World"]
    for tag in (
        '<meta property="og:type" content="website">',
        '<meta property="og:title" content="World">',
        '<meta property="og:url" content="http://localhost:8000/section/world/">',
        f'<meta property="og:image" content="{DEFAULT_IMAGES[0]}">',
        '<meta property="og:site_name" content="The Harbour Herald">',
    ):
        assert tag in html, tag
    html = get(client, "/tag/harbour/").content.decode()
    page = json_ld_blocks(html)["CollectionPage"]
    assert (page["name"], page["url"]) == ("harbour", "http://localhost:8000/tag/harbour/")
    assert '<meta property="og:title" content="harbour">' in html


def test_author_pages_are_profile_pages_of_a_person(client, full_article):
    from authors.models import Author

    Author.objects.filter(slug="ada-reyes").update(
        bio="Covers the port.\n\nLives by the sea.",
        twitter_url="https://x.com/ada",
        photo="authors/ada.jpg",
        photo_width=400,
        photo_height=400,
    )
    html = get(client, "/author/ada-reyes/").content.decode()
    profile = json_ld_blocks(html)["ProfilePage"]
    person = profile["mainEntity"]
    assert profile["url"] == person["url"] == "http://localhost:8000/author/ada-reyes/"
    assert person["@type"] == "Person"
    assert person["name"] == "Ada Reyes"
    assert person["jobTitle"] == "Senior correspondent"
    assert person["description"] == "Covers the port. Lives by the sea."
    assert person["image"] == "http://localhost:8000/media/authors/ada.jpg"
    assert person["sameAs"] == ["https://x.com/ada"]
    assert person["worksFor"]["name"] == "The Harbour Herald"
    for tag in (
        '<meta property="og:type" content="profile">',
        '<meta property="og:title" content="Ada Reyes">',
        '<meta property="og:image" content="http://localhost:8000/media/authors/ada.jpg">',
        '<meta property="og:image:alt" content="Photo of Ada Reyes">',
    ):
        assert tag in html, tag


def test_old_slug_redirects_permanently_to_the_current_url(client):
    article = published(slug="harbour-vote-passes")
    SlugRedirect.objects.create(old_slug="harbour-vote", article=article)
    local = timezone.localtime(article.published_at)
    response = get(client, f"/{local:%Y/%m/%d}/harbour-vote/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_wrong_date_redirects_to_the_right_one(client):
    article = published(slug="harbour-vote-passes", ago=timedelta(days=3))
    response = get(client, "/2001/01/01/harbour-vote-passes/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_wrong_date_redirects_even_after_the_page_is_cached(client):
    article = published(slug="harbour-vote-passes", ago=timedelta(days=3))
    assert get(client, article.get_absolute_url()).status_code == 200
    response = get(client, "/2001/01/01/harbour-vote-passes/")
    assert response.status_code == 301


def test_unknown_article_is_a_styled_404(client):
    SiteSettings.objects.create(site_name="The Harbour Herald")
    response = get(client, "/2024/01/01/nothing-here/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "find that page" in html
    assert "The Harbour Herald" in html
    assert 'name="robots" content="noindex' in html


def test_500_page_renders_without_database_or_cache():
    response = server_error(None)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_preview_renders_a_draft_with_banner_noindex_and_no_store(rf, full_article):
    full_article.status = "draft"
    full_article.save()
    request = rf.get("/admin/preview/")
    request.user = AnonymousUser()
    response = render_article_preview(request, full_article)
    html = response.content.decode()

    assert response.status_code == 200
    assert "Preview - not published" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "private, no-store"
    assert "Harbour plan approved after two years</h1>" in html


def _make_comments(article, count):
    if not apps.is_installed("comments"):
        return
    Comment = apps.get_model("comments", "Comment")
    parent = None
    for i in range(count):
        comment = Comment.objects.create(
            article=article,
            parent=parent if i % 2 else None,
            author_name=f"Reader {i}",
            author_email=f"reader{i}@example.org",
            body=f"Comment number {i}",
            status="approved",
            content_hash=f"{i:064d}",
        )
        parent = comment if not i % 2 else parent


@pytest.mark.parametrize("size", ["small", "large"])
def test_uncached_article_page_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, size, settings
):
    settings.EDGECACHE_ORIGIN_CACHE = False  # every render, fragments included
    section = SectionFactory(slug="world")
    n_authors, n_tags, n_comments, n_related = (1, 1, 1, 1) if size == "small" else (5, 10, 50, 4)
    article = published(section=section, tags=[f"tag-{i}" for i in range(n_tags)])
    for i in range(n_authors):
        BylineFactory(article=article, author=AuthorFactory(), position=i)
    for _ in range(n_related):
        RelatedLink.objects.create(article=article, target=published(section=section))
    Correction.objects.create(article=article, text="Fixed a name.")
    for _ in range(3):
        published(section=section, tags=["tag-0"])
    _make_comments(article, n_comments)
    url = article.get_absolute_url()
    cache.clear()

    # The page (9, or 10 with related articles) and its fragments: top bar 2, newsletter,
    # ads, latest.
    with django_assert_max_num_queries(14):
        response = get(client, url)
    assert response.status_code == 200
    assert response.content.decode().count('class="author-box"') == n_authors


@pytest.mark.parametrize(
    ("url", "page_queries"),
    [
        ("/section/world/", 7),
        ("/author/ada/", 7),
        ("/tag/harbour/", 7),
        ("/search/?q=harbour", 7),
        # With the months before and after it.
        ("/archive/{ym}/", 8),
        ("/archive/", 3),
    ],
)
def test_list_pages_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, url, page_queries, settings
):
    settings.EDGECACHE_ORIGIN_CACHE = False  # every render, fragments included
    section = SectionFactory(slug="world")
    ada = AuthorFactory(slug="ada")
    for _ in range(25):
        article = published(section=section, tags=["harbour", "council", "port"])
        for _ in range(3):
            BylineFactory(article=article, author=AuthorFactory())
        BylineFactory(article=article, author=ada)
    url = url.format(ym=timezone.localtime(article.published_at).strftime("%Y/%m"))
    # The page and its fragments: top bar 2, ads 1.
    with django_assert_max_num_queries(page_queries + 3):
        response = get(client, url)
    assert response.status_code == 200


def test_home_page_lists_lead_top_and_sections(client):
    world = SectionFactory(name="World", slug="world")
    business = SectionFactory(name="Business", slug="business")
    for i in range(10):
        published(section=world if i % 2 else business, title=f"Story {i}", ago=timedelta(hours=i))
    html = get(client, "/").content.decode()
    assert html.index("Story 0") < html.index("Story 1")
    assert 'href="/section/world/">World</a></h2>' in html
    assert 'href="/section/business/">Business</a></h2>' in html
    assert "Stay Connected" in html


def test_section_author_tag_and_archive_pages(client):
    world = SectionFactory(name="World", slug="world", description="News from abroad.")
    ada = AuthorFactory(name="Ada Reyes", slug="ada", bio="Covers ports.\n\nLives by the sea.")
    article = published(section=world, title="Port strike ends", tags=["ports"])
    BylineFactory(article=article, author=ada)
    local = timezone.localtime(article.published_at)

    pages = {
        "/section/world/": ["News from abroad.", "Port strike ends", 'aria-current="page"'],
        "/author/ada/": ["Ada Reyes", "Covers ports.", "Lives by the sea.", "Port strike ends"],
        "/tag/ports/": ["ports", "Port strike ends"],
        f"/archive/{local:%Y/%m}/": [local.strftime("%B %Y"), "Port strike ends"],
    }
    for url, texts in pages.items():
        response = get(client, url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for text in texts:
            assert text in html, (url, text)


def test_the_archive_lists_every_month_with_articles_by_year(client):
    from articles.tests.factories import ArticleFactory

    def on(year, month, day=10, **kwargs):
        when = timezone.make_aware(timezone.datetime(year, month, day, 12))
        return ArticleFactory(published=True, published_at=when, first_published_at=when, **kwargs)

    on(2024, 11), on(2024, 11, 20), on(2025, 2), on(2025, 1)
    on(2025, 3, status="draft")  # never counted
    html = get(client, "/").content.decode()
    assert '<a href="/archive/">Archive</a>' in html.split('class="site-footer"')[1]

    response = get(client, "/archive/")
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert re.findall(r'<h2 id="archive-\d+" class="archive-year__title">(\d+)</h2>', main) == [
        "2025",
        "2024",
    ]
    months = re.findall(r'<a href="(/archive/[\d/]+)">([^<]+)</a> <span[^>]*>([^<]+)<', main)
    assert months == [
        ("/archive/2025/02/", "February 2025", "1 article"),
        ("/archive/2025/01/", "January 2025", "1 article"),
        ("/archive/2024/11/", "November 2024", "2 articles"),
    ]
    assert "<title>Archive | " in html
    assert '<link rel="canonical" href="http://localhost:8000/archive/">' in html
    assert '<meta property="og:title" content="Archive">' in html


def test_an_empty_archive_says_so(client):
    assert "No articles have been published yet." in get(client, "/archive/").content.decode()


def test_a_month_links_to_the_months_around_it(client):
    from articles.tests.factories import ArticleFactory

    def on(year, month):
        when = timezone.make_aware(timezone.datetime(year, month, 10, 12))
        return ArticleFactory(published=True, published_at=when, first_published_at=when)

    on(2024, 11), on(2025, 1), on(2025, 6)
    html = get(client, "/archive/2025/01/").content.decode()
    nav = html[html.index('<nav class="month-nav"') :]
    nav = nav[: nav.index("</nav>")]
    assert '<a class="month-nav__later" href="/archive/2025/06/">← June 2025</a>' in nav
    assert '<a class="month-nav__all" href="/archive/">All months</a>' in nav
    assert '<a class="month-nav__earlier" href="/archive/2024/11/">November 2024 →</a>' in nav
    blocks = json_ld_blocks(html)
    assert blocks["CollectionPage"]["url"] == "http://localhost:8000/archive/2025/01/"
    assert [c["name"] for c in blocks["BreadcrumbList"]["itemListElement"]] == [
        "Home",
        "Archive",
        "January 2025",
    ]
    newest = get(client, "/archive/2025/06/").content.decode()
    assert "month-nav__later" not in newest and "month-nav__earlier" in newest
    oldest = get(client, "/archive/2024/11/").content.decode()
    assert "month-nav__earlier" not in oldest and "month-nav__later" in oldest


def test_lists_paginate_and_reject_bad_page_numbers(client):
    world = SectionFactory(slug="world")
    for i in range(25):
        published(section=world, title=f"Story number {i:02d}", ago=timedelta(minutes=i))

    first = get(client, "/section/world/").content.decode()
    second = get(client, "/section/world/?page=2").content.decode()
    assert "Story number 00" in first and "Story number 24" not in first
    assert "Story number 24" in second and 'rel="prev"' in second
    assert get(client, "/section/world/?page=3").status_code == 404
    assert get(client, "/section/world/?page=abc").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/section/nope/", "/author/nope/", "/tag/nope/", "/archive/2001/01/", "/archive/2024/13/"],
)
def test_missing_list_pages_are_404(client, url):
    published()
    assert get(client, url).status_code == 404


def test_search_page_highlights_and_counts(client):
    published(title="Harbour strike", body="<p>Dockers walked out at the harbour.</p>")
    html = get(client, "/search/?q=harbour").content.decode()
    assert "1 result for “harbour”" in html
    assert "<mark>" in html
    assert 'name="robots" content="noindex' in html


def test_search_rejects_overlong_queries_with_a_message(client):
    response = get(client, "/search/?q=" + "a" * 201)
    assert response.status_code == 400
    assert "Please use at most 200 characters." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_search_rejects_nul_characters(client):
    response = get(client, "/search/?q=har%00bour")
    assert response.status_code == 400


def test_search_escapes_the_query(client):
    html = get(client, "/search/?q=%3Cscript%3Ealert(1)%3C/script%3E").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_site_pages_show_settings_text(client):
    SiteSettings.objects.create(
        about_text="We cover the port.\n\nSince 1901.", privacy_text="We keep little."
    )
    about = get(client, "/about/").content.decode()
    assert "<p>We cover the port.</p>" in about and "<p>Since 1901.</p>" in about
    assert "We keep little." in get(client, "/privacy/").content.decode()
    assert get(client, "/contact/").status_code == 200


def test_robots_txt_points_at_the_sitemaps(client):
    response = get(client, "/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://localhost:8000/sitemap.xml" in text
    assert "Sitemap: http://localhost:8000/news-sitemap.xml" in text
    assert "Disallow: /admin/" in text


def robots_allows(robots: str, path: str) -> bool:
    """RFC 9309 for the "*" group: the longest matching rule decides, Allow on a tie; "*"
    matches any characters and a final "$" the end (Python's robotparser knows neither)."""
    best = (-1, True)
    for line in robots.splitlines():
        field, _, value = line.partition(":")
        field, value = field.strip().lower(), value.strip()
        if field not in ("allow", "disallow") or not value:
            continue
        pattern = re.escape(value).replace(r"\*", ".*")
        pattern = pattern[:-2] + "$" if pattern.endswith(r"\$") else pattern
        if re.match(pattern, path) and (len(value), field == "allow") > best:
            best = (len(value), field == "allow")
    return best[1]


def test_robots_txt_keeps_crawlers_off_live_coverage_machine_documents(client):
    text = get(client, "/robots.txt").content.decode()
    for path in ("/live/12/updates/", "/live/12/entries/?after=345"):
        assert not robots_allows(text, path), path
    for path in ("/live/12/feed/", "/live/12/feed/atom/", "/world/2030/05/04/storm/", "/"):
        assert robots_allows(text, path), path


def test_user_text_is_escaped_everywhere(client):
    evil = '<img src=x onerror="alert(1)">'
    author = AuthorFactory(name=evil, bio=evil, job_title=evil)
    article = published(title=evil, dek=evil, hero_caption=evil, tags=[evil])
    BylineFactory(article=article, author=author)
    Correction.objects.create(article=article, text=evil)
    for url in [article.get_absolute_url(), "/", f"/author/{author.slug}/", "/search/?q=img"]:
        html = get(client, url).content.decode()
        assert 'onerror="alert(1)"' not in html, url


def test_only_get_and_head_are_allowed(client):
    article = published()
    assert client.post(article.get_absolute_url()).status_code == 405
    assert client.post("/").status_code == 405


def test_pages_are_served_to_a_client_that_enforces_csrf():
    article = published()
    client = Client(enforce_csrf_checks=True)
    assert client.get(article.get_absolute_url()).status_code == 200
