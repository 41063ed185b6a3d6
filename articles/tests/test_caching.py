"""The article and home page cache: right for every reader, invalidated when anything shown
changes (articles/pagecache.py, articles/handlers.py)."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from articles import pagecache
from articles.caching import article_cache_bump
from articles.handlers import ARTICLE_TOPICS, invalidate_article_event
from articles.models import Correction, RelatedLink
from articles.services.editing import article_update
from articles.services.workflow import article_publish, article_unpublish
from articles.tests.factories import ArticleFactory, BylineFactory, SectionFactory
from articles.tests.site_helpers import published
from authors.tests.factories import AuthorFactory
from outbox.handlers import handlers_for
from outbox.models import Event
from outbox.services import event_process
from publication.models import AdSlot, SiteSettings
from publication.services import WEATHER_CACHE_KEY

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def story():
    world = SectionFactory(name="World", slug="world")
    article = published(section=world, title="Harbour reopens", tags=["harbour"])
    BylineFactory(article=article, author=AuthorFactory(name="Ada Reyes", bio="Covers ports."))
    return article


def page(client, url="/", **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def run_outbox():
    """What the worker does after commit: run the handlers of every pending event."""
    for event_id in Event.objects.pending().values_list("pk", flat=True):
        event_process(event_id=event_id)


# ---------------------------------------------------------------------------
# Hits and misses
# ---------------------------------------------------------------------------
def test_a_cached_article_page_is_served_without_database_queries(
    client, story, django_assert_num_queries
):
    url = story.get_absolute_url()
    first = page(client, url)
    with django_assert_num_queries(0):
        second = page(client, url)
    assert TOKEN.sub("", first) == TOKEN.sub("", second)


def test_a_cached_home_page_is_served_without_database_queries(
    client, story, django_assert_num_queries
):
    page(client, "/")
    with django_assert_num_queries(0):
        assert "Harbour reopens" in page(client, "/")


def test_cached_pages_say_how_to_cache_them(client, story):
    for url in ["/", story.get_absolute_url()]:
        response = client.get(url)
        assert response["Cache-Control"] == "private, no-cache"
        assert "Cookie" in response["Vary"]
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"].endswith("GMT")


# ---------------------------------------------------------------------------
# CSRF on a shared cached page
# ---------------------------------------------------------------------------
def test_each_reader_gets_their_own_csrf_token_from_the_shared_cached_page(story):
    url = story.get_absolute_url()
    first_reader, second_reader = Client(), Client()
    page(first_reader, url)  # renders and stores the page
    html = page(second_reader, url)  # served from the cache

    assert pagecache.CSRF_PLACEHOLDER not in html
    assert TOKEN.findall(html), "the article page has forms (comments, newsletter)"
    assert second_reader.cookies["csrftoken"].value
    assert second_reader.cookies["csrftoken"].value != first_reader.cookies["csrftoken"].value


def test_the_token_from_a_cached_page_passes_csrf_for_that_reader_only(story):
    """The token a reader finds in a form of the cached page works for a POST by that reader
    (the admin login form stands in for any CSRF-protected form) and for nobody else."""
    url = story.get_absolute_url()
    page(Client(), url)  # someone else warmed the cache
    reader = Client(enforce_csrf_checks=True)
    token = TOKEN.search(page(reader, url)).group(1)
    login = {"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": token}

    assert reader.post("/admin/login/", login).status_code == 200  # a form error, not 403
    stranger = Client(enforce_csrf_checks=True)
    page(stranger, url)
    assert stranger.post("/admin/login/", login).status_code == 403


def test_the_placeholder_becomes_a_valid_token_for_the_reader(rf, story):
    """Unit check of the substitution, independent of which forms the page has."""
    from django.middleware.csrf import CsrfViewMiddleware

    request = rf.get(story.get_absolute_url())
    html = pagecache.finalize(
        request,
        pagecache.RenderedPage(
            html=f'<input name="csrfmiddlewaretoken" value="{pagecache.CSRF_PLACEHOLDER}">',
            weather_place=None,
        ),
        None,
    )
    token = TOKEN.search(html).group(1)
    post = rf.post("/", {"csrfmiddlewaretoken": token})
    post.COOKIES["csrftoken"] = request.META["CSRF_COOKIE"]
    middleware = CsrfViewMiddleware(lambda r: None)
    assert middleware.process_view(post, lambda r: None, (), {}) is None  # accepted
    other = rf.post("/", {"csrfmiddlewaretoken": token})
    other.COOKIES["csrftoken"] = "x" * 32
    assert middleware.process_view(other, lambda r: None, (), {}).status_code == 403


# ---------------------------------------------------------------------------
# Conditional GET
# ---------------------------------------------------------------------------
def test_conditional_get_answers_304_until_something_changes(client, story, editor):
    url = story.get_absolute_url()
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert not again.content

    article_update(
        user=editor, article=story, data={"title": "Harbour reopens early"}, expected_version=None
    )
    run_outbox()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Harbour reopens early" in changed.content.decode()


def test_if_modified_since_answers_304(client, story):
    url = story.get_absolute_url()
    first = client.get(url)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_the_etag_depends_on_the_readers_csrf_cookie(story):
    url = story.get_absolute_url()
    a, b = Client(), Client()
    etag_a = a.get(url)["ETag"]
    assert b.get(url, HTTP_IF_NONE_MATCH=etag_a).status_code == 200


# ---------------------------------------------------------------------------
# Invalidation, each cause
# ---------------------------------------------------------------------------
def test_editing_an_article_shows_the_edit_at_once(client, story, editor):
    url = story.get_absolute_url()
    page(client, url)
    article_update(
        user=editor,
        article=story,
        data={"body": "<p>Ships are back in port.</p>"},
        expected_version=None,
    )
    run_outbox()
    assert "Ships are back in port." in page(client, url)


def test_the_updated_event_alone_invalidates_the_page(client, story):
    url = story.get_absolute_url()
    page(client, url)
    type(story).objects.filter(pk=story.pk).update(dek="A quieter dek")  # no signal
    assert "A quieter dek" not in page(client, url)
    invalidate_article_event(Event(topic="article.updated", payload={"article_id": story.pk}))
    assert "A quieter dek" in page(client, url)


def test_every_article_event_topic_invalidates_pages():
    for topic in ARTICLE_TOPICS:
        assert invalidate_article_event in handlers_for(topic)


def test_a_newly_published_article_appears_in_latest_and_home_at_once(client, story, editor):
    url = story.get_absolute_url()
    assert "Breaking: bridge closed" not in page(client, url)
    page(client, "/")
    draft = ArticleFactory(section=story.section, title="Breaking: bridge closed")
    article_publish(user=editor, article=draft)
    run_outbox()
    assert "Breaking: bridge closed" in page(client, url)
    assert "Breaking: bridge closed" in page(client, "/")


def test_unpublishing_makes_the_cached_page_404_at_once(client, story, editor):
    url = story.get_absolute_url()
    page(client, url)
    article_unpublish(user=editor, article=story)
    run_outbox()
    assert client.get(url).status_code == 404
    assert "Harbour reopens" not in page(client, "/")


def test_unpublishing_through_a_plain_save_is_caught_by_the_signal(
    client, story, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        story.status = "unpublished"
        story.save()
    assert client.get(url).status_code == 404


def test_an_approved_comment_shows_after_article_cache_bump(client, story):
    url = story.get_absolute_url()
    page(client, url)
    type(story).objects.filter(pk=story.pk).update(title="Title changed without a signal")
    article_cache_bump(story.pk)  # what the comments app calls on approval
    assert "Title changed without a signal" in page(client, url)


def test_an_author_bio_change_shows_on_their_articles(
    client, story, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    assert "Covers ports." in page(client, url)
    author = story.bylines.get().author
    with django_capture_on_commit_callbacks(execute=True):
        author.bio = "Covers ports and shipping."
        author.save()
    assert "Covers ports and shipping." in page(client, url)


def test_a_related_articles_new_title_shows_on_the_page(client, story, editor):
    other = published(section=story.section, title="Ferry timetable")
    RelatedLink.objects.create(article=story, target=other)
    url = story.get_absolute_url()
    assert "Ferry timetable" in page(client, url)
    article_update(
        user=editor, article=other, data={"title": "New ferry timetable"}, expected_version=None
    )
    run_outbox()
    assert "New ferry timetable" in page(client, url)


def test_a_correction_shows_at_once(client, story, django_capture_on_commit_callbacks):
    url = story.get_absolute_url()
    page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        Correction.objects.create(article=story, text="The harbour opened on Tuesday.")
    assert "The harbour opened on Tuesday." in page(client, url)


def test_site_settings_and_ads_show_at_once(client, story, django_capture_on_commit_callbacks):
    url = story.get_absolute_url()
    page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        SiteSettings.objects.create(site_name="The Port Gazette")
        AdSlot.objects.create(name="Ferry", placement="article", html="<p>Ferry tickets</p>")
    html = page(client, url)
    assert "The Port Gazette" in html
    assert "Ferry tickets" in html


def test_a_cached_page_expires_when_an_ad_window_ends(client, story, monkeypatch):
    AdSlot.objects.create(
        name="Sale",
        placement="article",
        html="<p>Summer sale</p>",
        active_to=timezone.now() + timedelta(seconds=90),
    )
    timeouts = []
    real_set = cache.set

    def spy(key, value, timeout=None, *args, **kwargs):
        if key.startswith("page:"):
            timeouts.append(timeout)
        return real_set(key, value, timeout, *args, **kwargs)

    monkeypatch.setattr(pagecache.cache, "set", spy)
    assert "Summer sale" in page(client, story.get_absolute_url())
    assert timeouts and 0 < timeouts[0] <= 90


def test_a_page_cached_yesterday_is_not_served_after_midnight(client, story, monkeypatch):
    url = story.get_absolute_url()
    page(client, url)
    real_localtime = timezone.localtime

    def a_day_later(value=None, timezone=None):
        moment = real_localtime(value, timezone)
        return moment + timedelta(days=1) if value is None else moment

    monkeypatch.setattr(pagecache.timezone, "localtime", a_day_later)
    type(story).objects.filter(pk=story.pk).update(title="Rendered again after midnight")
    assert "Rendered again after midnight" in page(client, url)


# ---------------------------------------------------------------------------
# Weather in the top bar
# ---------------------------------------------------------------------------
def _reading(age_seconds: float, **overrides):
    site = SiteSettings.current()
    return {
        "city": site.weather_city,
        "latitude": site.weather_latitude,
        "longitude": site.weather_longitude,
        "temperature": 0.4,
        "unit": "°C",
        "fetched_at": timezone.now().timestamp() - age_seconds,
        **overrides,
    }


def test_fresh_weather_shows_on_cached_pages_and_stale_weather_disappears(client, story):
    url = story.get_absolute_url()
    cache.set(WEATHER_CACHE_KEY, _reading(60))
    assert "0.4 °C" in page(client, url)
    cache.set(WEATHER_CACHE_KEY, _reading(3 * 3600 + 60))
    html = page(client, url)
    assert "°C" not in html
    assert pagecache.WEATHER_MARKER not in html


def test_missing_weather_hides_the_widget(client, story):
    html = page(client, story.get_absolute_url())
    assert "topbar__weather" not in html
    assert pagecache.WEATHER_MARKER not in html


def test_weather_for_another_place_is_not_shown(client, story):
    cache.set(WEATHER_CACHE_KEY, _reading(60, latitude=0.0, longitude=0.0))
    assert "°C" not in page(client, "/")


def test_top_bar_shows_todays_date_in_the_site_time_zone(client, story, settings):
    settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: often a different day than UTC
    today = timezone.localdate()
    assert today.strftime("%A, %B ") + str(today.day) + today.strftime(", %Y") in page(client, "/")


def test_late_values_are_filled_per_response_on_cached_pages(rf, monkeypatch):
    """How another app puts a per-reader value (e.g. a signed form timestamp) on a cached page."""
    from django.template import engines

    calls = []
    monkeypatch.setattr(pagecache, "_late_values", {})
    pagecache.register_late_value("stamp", lambda request, arg: calls.append(arg) or f"s{arg}")
    html = (
        engines["django"]
        .from_string('{% load site_tags %}<input value="{% late_value "stamp" 42 %}">')
        .render({})
    )
    page = pagecache.RenderedPage(html=html, weather_place=None)

    assert pagecache.finalize(rf.get("/"), page, None) == '<input value="s42">'
    assert pagecache.finalize(rf.get("/"), page, None) == '<input value="s42">'
    assert calls == ["42", "42"]
    with pytest.raises(ValueError):
        pagecache.register_late_value("Bad-Name", lambda request, arg: "")
    with pytest.raises(ValueError):
        pagecache.late_value_token("stamp", "not alnum!")
