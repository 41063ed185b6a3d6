"""Fault injection against real services: the site keeps its promises while Redis stops, hangs
or restarts under it, while its PostgreSQL connections are cut, and while the broker is down.

- Reader pages and API reads answer 200 with the right content during every fault.
- A comment, a newsletter sign-up and a published article are committed and answered normally;
  their side effects wait in the outbox and are delivered once the broker is back.
- A bulk admin action completes for every row.
- After a pause, the cache is used again within REDIS_RETRY_SECONDS.

Each test counts rows and outbox events before and after: nothing accepted is lost.
"""

import time

import psycopg
import pytest
import redis
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import ArticleFactory, SectionFactory
from authors.tests.factories import AuthorFactory
from comments.models import Comment
from comments.services.moderation import comment_moderate
from comments.tests.factories import CommentFactory
from comments.tests.helpers import form_data
from conftest import celery_broker
from newsletter.models import Subscriber
from newsletter.services.signup import CONFIRMATION_TOPIC
from newsletter.tests.factories import ListFactory
from outbox.models import Event
from outbox.tasks import event_process_due_task

pytestmark = [
    pytest.mark.faults,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.usefixtures("redis_required", "postgres_required"),
]

RETRY_SECONDS = 1.0


@pytest.fixture(autouse=True)
def _fault_settings(settings):
    settings.REDIS_RETRY_SECONDS = RETRY_SECONDS
    settings.EDGECACHE_STORE_RETRY_SECONDS = RETRY_SECONDS
    settings.COMMENTS_SPAM_CHECKER_URL = ""
    settings.COMMENTS_POST_MODERATION = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


@pytest.fixture
def newsroom(db):
    """A section with one published article by a named author, open for comments, and the
    daily digest to sign up for."""
    section = SectionFactory(name="Harbour", slug="harbour")
    author = AuthorFactory(name="Ana Ruiz", slug="ana-ruiz")
    article = ArticleFactory(
        published=True,
        section=section,
        authors=[author],
        title="Harbour vote tonight",
        slug="harbour-vote-tonight",
    )
    ListFactory(digest=True)
    return article


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the on_commit callbacks of the writes inside (the broker wake-ups), as the commit
    of their request does outside a test's transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def on_own_redis(cache_on_own_redis):
    """Cache and broker on the test's own Redis, as production shares one Redis for both."""
    with celery_broker(cache_on_own_redis.url):
        yield cache_on_own_redis


# -- what readers and API clients must keep getting ----------------------------------------------
def reads(article: Article) -> list[tuple[str, str]]:
    """(URL, text the answer must contain) for the reader pages and API reads."""
    return [
        ("/", article.title),
        (article.get_absolute_url(), article.title),
        (f"/section/{article.section.slug}/", article.title),
        ("/api/v1/articles/", article.title),
        (f"/api/v1/articles/{article.pk}/", article.title),
    ]


def assert_reads_answer(get, article: Article) -> None:
    for url, text in reads(article):
        status, body = get(url)
        assert status == 200, (url, status, body[:500])
        assert text in body, url


def client_get(client):
    def get(url: str) -> tuple[int, str]:
        response = client.get(url)
        return response.status_code, response.content.decode()

    return get


def post_comment(client, article: Article, body: str):
    return client.post(
        reverse("comments:post", args=[article.pk]),
        form_data(article, body=body, author_email=f"{abs(hash(body)) % 10**8}@example.org"),
    )


def sign_up(client, email: str):
    return client.post(reverse("newsletter:signup"), {"email": email, "lists": ["daily-digest"]})


def deliver_pending_events() -> None:
    """What beat's outbox sweep does once the broker is back; every event is then processed."""
    event_process_due_task()
    assert list(Event.objects.pending().values_list("topic", flat=True)) == []
    assert not Event.objects.filter(failed_at__isnull=False).exists()


def cache_works() -> bool:
    backend = caches["default"]
    backend.set("fault-probe", "back")
    return backend.get("fault-probe") == "back"


# -- Redis stopped ----------------------------------------------------------------------------
def test_while_redis_is_stopped_reads_answer_and_writes_are_kept(
    client, newsroom, on_own_redis, committed
):
    get = client_get(client)
    assert_reads_answer(get, newsroom)  # the cache is filled
    comments, events = Comment.objects.count(), Event.objects.count()

    on_own_redis.stop()

    assert_reads_answer(get, newsroom)
    assert client.get("/healthz").json()["status"] == "degraded"
    with committed():
        assert post_comment(client, newsroom, "Stored while Redis is down.").status_code == 303
        assert sign_up(client, "reader@example.org").status_code == 302
    assert Comment.objects.count() == comments + 1
    assert Comment.objects.get(body="Stored while Redis is down.").status == "pending"
    assert Subscriber.objects.filter(email="reader@example.org").exists()
    assert Event.objects.filter(topic=CONFIRMATION_TOPIC).count() == 1
    assert Event.objects.count() > events
    assert Event.objects.pending().count() == Event.objects.count()  # no worker was woken

    on_own_redis.start()
    time.sleep(RETRY_SECONDS)
    deliver_pending_events()
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]  # the confirmation, once
    event_process_due_task()
    assert len(mail.outbox) == 1
    assert_reads_answer(get, newsroom)


def test_a_restarted_redis_is_used_again_within_the_retry_window(client, newsroom, on_own_redis):
    get = client_get(client)
    assert_reads_answer(get, newsroom)
    on_own_redis.stop()
    assert_reads_answer(get, newsroom)
    assert not cache_works()

    on_own_redis.start()  # empty: everything it held is gone
    time.sleep(RETRY_SECONDS)

    assert cache_works()
    assert client.get("/healthz").json()["status"] == "ok"
    assert_reads_answer(get, newsroom)


# -- Redis paused -----------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["sigstop", "debug-sleep"])
def test_while_redis_hangs_reads_answer_and_writes_are_kept(
    client, newsroom, on_own_redis, committed, how
):
    get = client_get(client)
    assert_reads_answer(get, newsroom)
    comments = Comment.objects.count()

    if how == "sigstop":
        on_own_redis.pause()
    else:
        sleeper = on_own_redis.sleep(3)
    try:
        assert_reads_answer(get, newsroom)
        with committed():
            posted = post_comment(client, newsroom, f"Stored while Redis hangs ({how}).")
            assert posted.status_code == 303
            assert sign_up(client, f"{how}@example.org").status_code == 302
    finally:
        if how == "sigstop":
            on_own_redis.resume()
        else:
            sleeper.join(10)

    assert Comment.objects.count() == comments + 1
    assert Subscriber.objects.filter(email=f"{how}@example.org").exists()
    time.sleep(RETRY_SECONDS)  # recovered within the retry window
    assert cache_works()
    assert client.get("/healthz").json()["status"] == "ok"
    deliver_pending_events()
    assert [m.to for m in mail.outbox] == [[f"{how}@example.org"]]


# -- Bulk admin actions while Redis is down ---------------------------------------------------
def test_bulk_comment_approval_completes_for_every_row_while_redis_is_down(
    client, newsroom, moderator, on_own_redis, committed
):
    waiting = CommentFactory.create_batch(6, article=newsroom, pending=True)
    client.force_login(moderator)
    on_own_redis.stop()

    with committed():
        response = client.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "approve", ACTION_CHECKBOX_NAME: [c.pk for c in waiting]},
        )

    assert response.status_code == 302
    statuses = Comment.objects.filter(pk__in=[c.pk for c in waiting]).values_list("status")
    assert set(statuses) == {("approved",)}
    assert Event.objects.filter(topic="comments.notify").count() == 6
    on_own_redis.start()
    time.sleep(RETRY_SECONDS)
    deliver_pending_events()
    body = client.get(newsroom.get_absolute_url()).content.decode()
    assert all(comment.body in body for comment in waiting)


def test_bulk_publishing_completes_for_every_row_while_redis_is_down(
    client, newsroom, editor, on_own_redis, committed
):
    ready = ArticleFactory.create_batch(5, in_review=True, section=newsroom.section)
    client.force_login(editor)
    on_own_redis.stop()

    with committed():
        response = client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_selected", ACTION_CHECKBOX_NAME: [a.pk for a in ready]},
        )

    assert response.status_code == 302
    statuses = Article.objects.filter(pk__in=[a.pk for a in ready]).values_list("status", flat=True)
    assert set(statuses) == {Article.Status.PUBLISHED}
    assert Event.objects.filter(topic="article.published").count() == 5
    client.logout()
    home = client.get("/").content.decode()
    assert all(article.title in home for article in ready)
    on_own_redis.start()
    time.sleep(RETRY_SECONDS)
    deliver_pending_events()


# -- The broker down --------------------------------------------------------------------------
def test_publishing_while_the_broker_is_stopped_commits_and_delivers_after(
    client, newsroom, editor, own_redis, committed
):
    from articles.services.workflow import article_publish

    article = ArticleFactory(in_review=True, section=newsroom.section, title="Ferry strike ends")
    events = Event.objects.count()
    with celery_broker(own_redis.url):
        own_redis.stop()
        with committed():
            article_publish(user=editor, article=article)

        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED
        assert Event.objects.filter(topic="article.published", payload__article_id=article.pk)
        assert Event.objects.count() > events
        assert Event.objects.pending().count() == Event.objects.count()  # none delivered yet
        assert_reads_answer(client_get(client), article)

        own_redis.start()
        deliver_pending_events()

        # Within the retry window of the failure, new wake-ups reach the broker again.
        time.sleep(RETRY_SECONDS)
        later = ArticleFactory(in_review=True, section=newsroom.section, title="Ferry timetable")
        with committed():
            article_publish(user=editor, article=later)
        queue = redis.Redis.from_url(own_redis.url)
        assert queue.llen(settings.CELERY_TASK_DEFAULT_QUEUE) >= 1
        queue.close()


@pytest.mark.usefixtures("broker_down")
def test_comments_and_sign_ups_while_the_broker_is_down_are_delivered_when_it_is_back(
    client, newsroom, moderator, committed
):
    with committed():
        assert sign_up(client, "later@example.org").status_code == 302
        assert post_comment(client, newsroom, "Waiting for the broker.").status_code == 303
        comment = Comment.objects.get(body="Waiting for the broker.")
        comment_moderate(actor=moderator, comment=comment, action="approve")
    pending = Event.objects.pending().count()
    assert Event.objects.filter(topic=CONFIRMATION_TOPIC).count() == 1
    assert Event.objects.filter(topic="comments.notify").count() == 1
    assert pending == Event.objects.count() and mail.outbox == []

    deliver_pending_events()  # beat's sweep, the broker back

    assert Event.objects.filter(processed_at__isnull=False).count() == pending
    assert [m.to for m in mail.outbox] == [["later@example.org"]]
    assert "Waiting for the broker." in client.get(newsroom.get_absolute_url()).content.decode()


# -- PostgreSQL connections cut ---------------------------------------------------------------
def terminate_other_backends() -> int:
    """From a connection of its own, end every other session on the test database: what a
    PostgreSQL restart or failover does to the app's persistent connections."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def wsgi_get(path: str, **extra) -> tuple[int, str]:
    """A request through Django's WSGI handler, the way gunicorn runs it (the test client
    skips the request-start connection checks this is about)."""
    environ = RequestFactory().get(path, **extra).environ
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])

    response = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        response.close()
    return answer["status"], body.decode()


CSRF_SECRET = "s" * 32


def wsgi_post(path: str, data: dict) -> int:
    environ = RequestFactory().post(path, {**data, "csrfmiddlewaretoken": CSRF_SECRET}).environ
    environ["HTTP_COOKIE"] = f"csrftoken={CSRF_SECRET}"
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])

    response = WSGIHandler()(environ, start_response)
    try:
        b"".join(response)
    finally:
        response.close()
    return answer["status"]


@pytest.mark.django_db(transaction=True)
def test_reads_and_writes_survive_the_database_connections_being_cut():
    section = SectionFactory(name="Harbour", slug="harbour")
    article = ArticleFactory(published=True, section=section, title="Harbour vote tonight")
    ListFactory(digest=True)
    assert connection.settings_dict["CONN_MAX_AGE"] > 0  # persistent, as in production
    assert_reads_answer(wsgi_get, article)
    assert connection.connection is not None  # kept for the next request

    assert terminate_other_backends() >= 1
    assert_reads_answer(wsgi_get, article)

    terminate_other_backends()
    assert wsgi_post(reverse("comments:post", args=[article.pk]), form_data(article)) == 303
    terminate_other_backends()
    signup = {"email": "cut@example.org", "lists": ["daily-digest"]}
    assert wsgi_post(reverse("newsletter:signup"), signup) == 302
    terminate_other_backends()
    assert wsgi_get("/healthz")[0] == 200

    assert Comment.objects.filter(article=article).count() == 1
    assert Subscriber.objects.filter(email="cut@example.org").exists()
