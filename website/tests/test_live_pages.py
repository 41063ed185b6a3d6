"""Live coverage for readers: the live page, the polling document (304 while nothing changed,
purged by a new entry), the entries a reader lacks, the feeds and the structured data."""

import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Entry
from articles.services import live
from articles.tests.factories import ArticleFactory
from articles.tests.site_helpers import published
from authors.tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(editor):
    article = published(title="Storm hits the coast")
    return live.live_coverage_open(
        user=editor, article=article, summary="<p>Winds of 150 km/h.</p>"
    )


def post(user, article, n: int, **kwargs) -> Entry:
    kwargs.setdefault("body", f"<p>Update number {n}.</p>")
    return live.entry_post(user=user, article=article, **kwargs)


def bulk_entries(article, count: int, author=None) -> list[int]:
    """Many entries at once (the services post one at a time; this is for long coverage)."""
    now = timezone.now()
    rows = Entry.objects.bulk_create(
        Entry(article=article, body=f"<p>Bulk update {n}.</p>", created_at=now)
        for n in range(count)
    )
    if author is not None:
        Entry.authors.through.objects.bulk_create(
            Entry.authors.through(entry_id=row.pk, author_id=author.pk) for row in rows
        )
    return [row.pk for row in rows]


def entry_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li class="live-entry[^"]*" id="entry-(\d+)"', html)]


def keys_of(response) -> set[str]:
    return set(response["xkey"].split())


def test_the_live_page_shows_label_summary_key_events_pinned_and_entries(story, editor, reporter):
    first = post(reporter, story, 1, title="Landfall", is_key_event=True)
    pinned = post(editor, story, 2, is_pinned=True, body="<p>Stay indoors.</p>")
    newest = post(reporter, story, 3)
    response = Client().get(story.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="badge badge--live">LIVE</span>' in html
    assert "<p>Winds of 150 km/h.</p>" in html
    assert f'<a href="#entry-{first.pk}"><time' in html and "Landfall</a>" in html
    assert f'id="pinned-{pinned.pk}"' in html
    assert entry_ids(html) == [newest.pk, pinned.pk, first.pk]  # newest first
    assert ">Rita Reporter</a>" in html
    assert 'src="/static/website/live.js"' in html and f'data-live-newest="{newest.pk}"' in html
    assert re.search(r'<p class="live__ended-now" data-live-ended role="status" hidden>', html)
    assert {f"entries:{story.pk}", f"article:{story.pk}"} <= keys_of(response)
    assert re.search(r"<script>(?!\s*</script>)", html) is None  # no inline script


def test_an_ended_coverage_says_so_and_stops_following(story, editor, reporter):
    post(reporter, story, 1)
    live.live_coverage_end(user=editor, article=story, summary="<p>The storm has passed.</p>")
    html = Client().get(story.get_absolute_url()).content.decode()
    assert "Live coverage has ended" in html and "<p>The storm has passed.</p>" in html
    assert "badge--live" not in html and "data-live-running" not in html
    assert "data-live-ended" not in html  # the notice is for pages opened while it ran
    assert len(entry_ids(html)) == 1


def test_long_coverage_shows_30_and_older_pages_in_constant_queries(
    story, settings, django_assert_max_num_queries
):
    settings.EDGECACHE_ORIGIN_CACHE = False
    author = AuthorFactory(name="Desk Reporter")
    ids = bulk_entries(story, 2000, author=author)
    esi = {"HTTP_SURROGATE_CAPABILITY": 'v="ESI/1.0"'}  # the page alone, as Varnish asks
    # The article page's 11 (test_delivery.py), and entries, their authors, key events, pinned.
    with django_assert_max_num_queries(11 + 4):
        response = Client().get(story.get_absolute_url(), **esi)
    html = response.content.decode()
    shown = entry_ids(html)
    assert shown == sorted(ids, reverse=True)[:30]
    older = re.search(r'href="\?from=(\d+)" rel="next">Older updates', html)
    assert older and int(older.group(1)) == shown[-1] - 1
    with django_assert_max_num_queries(11 + 4):
        page2 = Client().get(f"{story.get_absolute_url()}?from={older.group(1)}", **esi)
    assert entry_ids(page2.content.decode()) == sorted(ids, reverse=True)[30:60]
    # A permalink far down opens the page that starts at it.
    far = ids[5]
    html = Client().get(f"{story.get_absolute_url()}?from={far}").content.decode()
    assert entry_ids(html)[0] == far


def test_key_events_far_down_link_to_the_page_that_shows_them(story, reporter):
    key = post(reporter, story, 0, title="Evacuation ordered", is_key_event=True)
    bulk_entries(story, 40)
    html = Client().get(story.get_absolute_url()).content.decode()
    assert f'href="?from={key.pk}#entry-{key.pk}"' in html


def test_entry_permalinks_open_the_page_at_the_entry_without_javascript(story, reporter, settings):
    """A shared link to an entry keeps working once newer entries have pushed it off the first
    page: the browser sends no #fragment, so the permalink names the page that starts at it."""
    settings.EDGECACHE_ORIGIN_CACHE = False  # bulk_entries purges nothing
    old = post(reporter, story, 0, title="Evacuation ordered")
    permalink = f"{story.get_absolute_url()}?from={old.pk}#entry-{old.pk}"
    assert old.get_absolute_url() == permalink
    html = Client().get(story.get_absolute_url()).content.decode()
    assert f'class="live-entry__time" id="entry-{old.pk}-time" href="{permalink}"' in html
    feed = Client().get(f"/live/{story.pk}/feed/").content.decode()
    assert f"{permalink}</link>" in feed
    bulk_entries(story, 40)
    assert f'id="entry-{old.pk}"' not in Client().get(story.get_absolute_url()).content.decode()
    path, _, fragment = permalink.partition("#")
    html = Client().get(path).content.decode()  # what a browser without JavaScript asks
    assert entry_ids(html)[0] == old.pk and f'id="{fragment}"' in html


def test_the_polling_document_answers_304_until_an_entry_is_posted(
    story, reporter, django_capture_on_commit_callbacks
):
    url = f"/live/{story.pk}/updates/"
    first = Client().get(url)
    assert first.status_code == 200 and first.json() == {"ids": [], "is_live": True}
    assert first["Cache-Control"].startswith("public, max-age=0, s-maxage=")
    assert keys_of(first) == {f"entries:{story.pk}", f"article:{story.pk}"}
    again = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        entry = post(reporter, story, 1)
    fresh = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200 and fresh.json()["ids"] == [entry.pk]


def test_the_polling_document_is_tiny_and_cheap(story, settings, django_assert_num_queries):
    settings.EDGECACHE_ORIGIN_CACHE = False
    bulk_entries(story, 500)
    with django_assert_num_queries(2):  # the article, the ids
        response = Client().get(f"/live/{story.pk}/updates/")
    assert len(response.content) < 400 and len(response.json()["ids"]) == 30


def test_a_new_entry_purges_the_cached_page_but_not_other_pages(
    story, reporter, django_capture_on_commit_callbacks
):
    other = published(title="Unrelated")
    Client().get(story.get_absolute_url())
    Client().get(other.get_absolute_url())
    assert Client().get(story.get_absolute_url())["X-Origin-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        entry = post(reporter, story, 1, body="<p>Fresh from the coast.</p>")
    page = Client().get(story.get_absolute_url())
    assert page["X-Origin-Cache"] != "hit" and f'id="entry-{entry.pk}"' in page.content.decode()
    assert Client().get(other.get_absolute_url())["X-Origin-Cache"] == "hit"
    assert Client().get("/")["X-Origin-Cache"] in ("miss", "hit")


def test_entries_after_one_are_rendered_for_the_script(story, reporter):
    first = post(reporter, story, 1)
    second = post(reporter, story, 2, body="<p>Second <script>x()</script></p>")
    response = Client().get(f"/live/{story.pk}/entries/?after={first.pk}")
    html = response.content.decode()
    assert response.status_code == 200 and entry_ids(html) == [second.pk]
    assert "<script>" not in html and "data-more" not in html
    assert f"entries:{story.pk}" in keys_of(response)
    assert Client().get(f"/live/{story.pk}/entries/").status_code == 404
    assert Client().get(f"/live/{story.pk}/entries/?after=x").status_code == 404


def test_live_documents_of_unpublished_or_plain_articles_are_404(editor):
    draft = ArticleFactory(created_by=editor)
    live.live_coverage_open(user=editor, article=draft)
    plain = published()
    for article in (draft, plain):
        for path in ("updates/", "entries/?after=0", "feed/"):
            assert Client().get(f"/live/{article.pk}/{path}").status_code == 404


def test_json_ld_is_a_live_blog_posting_with_each_update(
    story, editor, reporter, django_capture_on_commit_callbacks
):
    entry = post(reporter, story, 1, title="Landfall")
    html = Client().get(story.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = next(json.loads(b) for b in blocks if "LiveBlogPosting" in b)
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"] and "coverageEndTime" not in data
    (update,) = data["liveBlogUpdate"]
    assert update["@type"] == "BlogPosting" and update["headline"] == "Landfall"
    assert update["url"].endswith(f"#entry-{entry.pk}")
    assert update["author"] == [{"@type": "Person", "name": "Rita Reporter"}]
    with django_capture_on_commit_callbacks(execute=True):
        live.live_coverage_end(user=editor, article=story)
    html = Client().get(story.get_absolute_url()).content.decode()
    assert '"coverageEndTime"' in html


def test_the_entries_feeds_list_the_newest_entries(story, reporter):
    entry = post(reporter, story, 1, title="Landfall")
    rss = Client().get(f"/live/{story.pk}/feed/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    text = rss.content.decode()
    assert "<title>Landfall</title>" in text and f"#entry-{entry.pk}</link>" in text
    assert {f"entries:{story.pk}", "site"} <= keys_of(rss)
    atom = Client().get(f"/live/{story.pk}/feed/atom/")
    assert atom.status_code == 200 and "Landfall" in atom.content.decode()


def test_the_entries_feeds_are_on_site_url_with_one_author_element_each(story, reporter, settings):
    import xml.etree.ElementTree as ET

    settings.SITE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    ann, bo = AuthorFactory(name="Ann Lee"), AuthorFactory(name="Bo Chen")
    entry = post(reporter, story, 1, title="Landfall", authors=[ann, bo])
    rss = Client().get(f"/live/{story.pk}/feed/", HTTP_HOST="mirror.example.net")
    assert b"mirror.example.net" not in rss.content
    item = ET.fromstring(rss.content).find("channel/item")  # noqa: S314
    assert item.findtext("link") == (
        f"https://news.example.org{story.get_absolute_url()}?from={entry.pk}#entry-{entry.pk}"
    )
    creators = item.findall("{http://purl.org/dc/elements/1.1/}creator")
    assert [c.text for c in creators] == ["Ann Lee", "Bo Chen"]
    atom = Client().get(f"/live/{story.pk}/feed/atom/", HTTP_HOST="mirror.example.net")
    assert b"mirror.example.net" not in atom.content
    ns = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(atom.content)  # noqa: S314
    assert root.find(f"{ns}link[@rel='self']").get("href") == (
        f"https://news.example.org/live/{story.pk}/feed/atom/"
    )
    authors = root.find(f"{ns}entry").findall(f"{ns}author")
    assert [a.findtext(f"{ns}name") for a in authors] == ["Ann Lee", "Bo Chen"]
