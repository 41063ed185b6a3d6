"""Never leak the unpublished: drafts, in-review, scheduled and unpublished articles are
invisible on every reader surface, including by guessing their URL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import RelatedLink, SlugRedirect
from articles.tests.factories import BylineFactory, SectionFactory
from articles.tests.site_helpers import UNPUBLISHED_STATES, in_state, published
from authors.tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db

SECRET = "Zanzibarquartz merger embargoed"


@pytest.fixture(params=UNPUBLISHED_STATES)
def hidden(request):
    """A hidden article next to a visible one sharing its section, author and tag."""
    section = SectionFactory(name="Business", slug="business")
    author = AuthorFactory(slug="ada")
    visible = published(section=section, title="Visible story", tags=["markets"])
    BylineFactory(article=visible, author=author)
    secret = in_state(
        request.param,
        section=section,
        title=SECRET,
        slug="zanzibarquartz-merger",
        body="<p>Zanzibarquartz agrees to buy its rival.</p>",
        tags=["markets"],
    )
    # Give it every date a guesser might try.
    secret.published_at = secret.published_at or timezone.now() - timedelta(hours=1)
    secret.save()
    BylineFactory(article=secret, author=author)
    RelatedLink.objects.create(article=visible, target=secret)
    SlugRedirect.objects.create(old_slug="zanzibarquartz-deal", article=secret)
    return secret


def _dates(article):
    for value in (article.published_at, article.publish_at, article.created_at):
        if value:
            local = timezone.localtime(value)
            yield f"{local:%Y/%m/%d}"


def test_guessing_the_url_is_a_404(client, hidden):
    for date in set(_dates(hidden)):
        for slug in ("zanzibarquartz-merger", "zanzibarquartz-deal"):
            response = client.get(f"/{date}/{slug}/")
            assert response.status_code == 404, (date, slug)
            assert SECRET not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/section/business/",
        "/author/ada/",
        "/tag/markets/",
        "/search/?q=zanzibarquartz",
        "/feed/",
        "/feed/atom/",
        "/section/business/feed/",
        "/author/ada/feed/",
        "/tag/markets/feed/",
        "/sitemap-articles.xml",
        "/news-sitemap.xml",
    ],
)
def test_lists_feeds_sitemaps_and_search_never_show_it(client, hidden, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    assert SECRET not in body
    assert "zanzibarquartz" not in body.lower() or url.startswith("/search/")
    assert "zanzibarquartz-merger" not in body


def test_archive_never_shows_it(client, hidden):
    for date in set(_dates(hidden)):
        year, month, _ = date.split("/")
        response = client.get(f"/archive/{year}/{month}/")
        assert SECRET not in response.content.decode()


def test_the_archive_index_never_counts_it(client, hidden):
    # Give it a month of its own, far from the visible story's.
    when = timezone.now() - timedelta(days=400)
    type(hidden).objects.filter(pk=hidden.pk).update(published_at=when)
    html = client.get("/archive/").content.decode()
    assert f"/archive/{timezone.localtime(when):%Y/%m}/" not in html
    assert html.count('class="archive-year__count"') == 1
    assert ">1 article<" in html


def test_related_and_latest_on_a_visible_article_never_show_it(client, hidden):
    visible = hidden.section.articles.get(title="Visible story")
    html = client.get(visible.get_absolute_url()).content.decode()
    assert SECRET not in html
    assert "zanzibarquartz-merger" not in html


def test_a_tag_only_used_by_a_hidden_article_has_no_page(client, hidden):
    hidden.tags.add("project-zanzibar")
    assert client.get("/tag/project-zanzibar/").status_code == 404
    assert client.get("/tag/project-zanzibar/feed/").status_code == 404
    assert "project-zanzibar" not in client.get("/sitemap-tags.xml").content.decode()
