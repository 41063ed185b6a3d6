"""Text that looks like markup or protocol (the retired page cache's splice markers, template
syntax, an edge-side include, a closing script tag, control characters) in every field a reader
or the newsroom writes renders as text on every public page that shows it, and the page answers
200. Written through the services, as the admin and the API write it."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from articles.services import editing, workflow
from articles.tests.factories import SectionFactory
from authors.services import author_create
from comments import services as comment_services
from comments.tests.helpers import post_kwargs

pytestmark = pytest.mark.django_db

MARKERS = [
    "NEWSROOMCSRFPLACEHOLDERc0ffee4b1d",
    "<!--newsroom:weather-->",
    "NEWSROOMLATEcommentpendingQ1Z",
    "{{ x }}",
    "{% csrf_token %}",
    '<esi:include src="/x"/>',
    "</script><script>alert(1)</script>",
    "tab\ttab vt\x0bvt nul\x00nul bell\x07bell",
]
# What may be markup on our pages: the fragments we include, nothing else.
OWN_INCLUDES = re.compile(r'<esi:include src="/_fragments/[a-z_/]+(\?exclude=\d+)?"/>')


@pytest.fixture
def hostile(editor, moderator):
    text = " | ".join(MARKERS)
    section = SectionFactory(name=f"World {text}"[:100], slug="world")
    author = author_create(user=editor, name=f"Ada {text}"[:200], bio=f"Bio {text}", slug="ada")
    article = editing.article_create(
        user=editor,
        title=f"Harbour {text}"[:300],
        section=section,
        dek=f"Dek {text}",
        body=f"<p>Body {text}</p><figure><figcaption>Caption {text}</figcaption></figure>",
        hero_caption=f"Caption {text}"[:300],
        bylines=[author],
        tags=["harbour", f"tag {MARKERS[5]}"[:100], f"tag {MARKERS[3]}"],
    )
    workflow.article_publish(user=editor, article=article)
    article.refresh_from_db()
    comment = comment_services.comment_post(
        **post_kwargs(
            article,
            body=f"Comment {text}".replace("\x00", ""),  # refused with a clear error
            author_name=f"Reader {MARKERS[5]}"[:80],
            author_url="https://ada.example/{{x}}/%3Cesi:include%3E",
        )
    )
    comment_services.comment_moderate(actor=moderator, comment=comment, action="approve")
    return article


def pages(article) -> list[str]:
    local = timezone.localtime(article.published_at)
    tag = article.tags.exclude(slug="harbour").first()
    return [
        article.get_absolute_url(),
        "/",
        "/section/world/",
        "/author/ada/",
        f"/tag/{tag.slug}/",
        "/archive/",
        f"/archive/{local:%Y/%m}/",
        "/search/?q=harbour",
        "/search/?q=" + "%3Cesi%3Ainclude%20src%3D%22%2Fx%22%2F%3E%20%7B%7B%20x%20%7D%7D",
        "/search/?q=%3C%2Fscript%3E%7B%25%20csrf_token%20%25%7D",
        "/feed/",
        "/feed/atom/",
        "/section/world/feed/",
        "/author/ada/feed/",
        f"/tag/{tag.slug}/feed/",
        "/news-sitemap.xml",
        "/_fragments/latest/",
    ]


def test_marker_like_text_renders_as_text_everywhere(hostile):
    for url in pages(hostile):
        response = Client().get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "<esi:include" not in body, url  # assembled: nothing left to include
        assert "<!--newsroom:weather-->" not in body, url
        assert "csrfmiddlewaretoken" not in body, url
        assert "<script>alert(1)" not in body, url
        assert "\x00" not in body and "\x0b" not in body and "\x07" not in body, url
        # As Varnish gets it: the only includes are our own fragments.
        raw = Client().get(url, HTTP_SURROGATE_CAPABILITY='v="ESI/1.0"').content.decode()
        includes = re.findall(r"<esi:include[^>]*>", raw)
        assert all(OWN_INCLUDES.fullmatch(tag) for tag in includes), (url, includes)


def test_the_article_page_shows_each_marker_as_text(hostile):
    html = Client().get(hostile.get_absolute_url()).content.decode()
    for text in ("{{ x }}", "{% csrf_token %}", "NEWSROOMCSRFPLACEHOLDERc0ffee4b1d"):
        assert text in html  # shown as written, never interpreted
    assert "&lt;esi:include src=&quot;/x&quot;/&gt;" in html
    assert "&lt;!--newsroom:weather--&gt;" in html
    assert "Comment NEWSROOMCSRFPLACEHOLDERc0ffee4b1d" in html  # the comment, as written


def test_a_hostile_comment_waiting_for_its_author_is_shown_as_text(article_with_pending):
    client, article = article_with_pending
    data = client.get(f"/reader/state/?article={article.pk}").json()
    mine = data["pending_html"]
    assert "&lt;esi:include src=&quot;/x&quot;/&gt;" in mine
    assert "{{ x }}" in mine and "{% csrf_token %}" in mine
    assert "<script>alert(1)" not in mine


@pytest.fixture
def article_with_pending(settings):
    from articles.tests.factories import ArticleFactory
    from comments.tests.helpers import form_data

    settings.COMMENTS_SPAM_CHECKER_URL = ""
    settings.COMMENTS_POST_MODERATION = False
    article = ArticleFactory(published=True)
    client = Client()
    body = " | ".join(MARKERS[:7])
    response = client.post(f"/comments/post/{article.pk}/", form_data(article, body=body))
    assert response.status_code == 303
    return client, article
