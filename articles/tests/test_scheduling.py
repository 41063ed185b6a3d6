"""Scheduled publishing with real parts: a Celery worker and beat process against the test
database and the configured broker (Redis in CI, the embedded broker without it)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, WorkflowEvent
from articles.services.sweeps import article_publish_due
from articles.services.workflow import article_publish
from articles.tasks import (
    SWEEP_NAME,
    _wake_up_times,
    article_publish_due_task,
    article_publish_wake_task,
)
from articles.tests.factories import ArticleFactory
from authors.tests.factories import UserFactory
from conftest import wait_until
from outbox.models import Event, Sweep
from outbox.tasks import event_process_task
from outbox.tests import recording
from outbox.tests.factories import EventFactory

Status = Article.Status
RECORDING_WORKER = ["-I", "outbox.tests.worker_handlers"]
# Short sweeps keep the tests quick; production sweeps every 5 s.
FAST_BEAT = {"PUBLISHING_SWEEP_SECONDS": "1", "OUTBOX_SWEEP_SECONDS": "1"}


@pytest.fixture
def recorded(transactional_db, empty_queues):
    """Counts, per outbox event, how many times the handlers' work was committed."""
    recording.create_table()
    yield recording
    recording.drop_table()


def due_in(seconds: float):
    return timezone.now() + timedelta(seconds=seconds)


def all_published(articles) -> bool:
    pks = [a.pk for a in articles]
    return Article.objects.published().filter(pk__in=pks).count() == len(pks)


def published_events(articles):
    return Event.objects.filter(
        topic="article.published", payload__article_id__in=[a.pk for a in articles]
    )


def all_events_processed(articles) -> bool:
    events = published_events(articles)
    return events.count() == len(articles) and not events.filter(processed_at__isnull=True).exists()


def assert_published_exactly_once(articles, recorded) -> None:
    """One publish transition, one event, its handlers' work committed once, per article."""
    for article in articles:
        transitions = WorkflowEvent.objects.filter(article=article, action="publish_scheduled")
        assert transitions.count() == 1, article.pk
    events = list(published_events(articles).order_by("pk"))
    assert sorted(e.payload["article_id"] for e in events) == sorted(a.pk for a in articles)
    assert all(e.processed_at is not None for e in events)
    assert recorded.handled_event_ids(topic="article.published") == [e.pk for e in events]


# ---------------------------------------------------------------------------
# In one process
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_sweep_task_publishes_due_articles_withdraws_expired_ones_and_records_itself():
    due = ArticleFactory(scheduled=True, publish_at=due_in(-30))
    later = ArticleFactory(scheduled=True, publish_at=due_in(3600))
    expiring = ArticleFactory(published=True, unpublish_at=due_in(-1))

    assert article_publish_due_task() == 2

    statuses = dict(Article.objects.values_list("pk", "status"))
    assert statuses == {
        due.pk: Status.PUBLISHED,
        later.pk: Status.SCHEDULED,
        expiring.pk: Status.UNPUBLISHED,
    }
    due.refresh_from_db()
    assert due.publish_delay >= timedelta(seconds=30)
    sweep = Sweep.objects.get(name=SWEEP_NAME)
    assert sweep.handled == 2


@pytest.mark.django_db
def test_wake_ups_cover_publish_and_expiry_times_before_the_next_sweep(settings):
    settings.PUBLISHING_SWEEP_SECONDS = 5
    now = timezone.now()
    soon = ArticleFactory(scheduled=True, publish_at=now + timedelta(seconds=2))
    same_time = ArticleFactory(scheduled=True, publish_at=soon.publish_at)
    expiring = ArticleFactory(published=True, unpublish_at=now + timedelta(seconds=4))
    ArticleFactory(scheduled=True, publish_at=now + timedelta(seconds=6))
    ArticleFactory(scheduled=True, publish_at=now - timedelta(seconds=1))
    ArticleFactory(publish_at=now + timedelta(seconds=1))  # a draft: not scheduled

    assert _wake_up_times(now) == [same_time.publish_at, expiring.unpublish_at]


@pytest.mark.django_db
def test_a_publish_rolled_back_records_no_event_and_wakes_nobody(
    django_capture_on_commit_callbacks,
):
    editor = UserFactory(editor=True)
    article = ArticleFactory(in_review=True)
    before = list(Event.objects.values_list("pk", flat=True))  # the new section's nav purge

    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        article_publish(user=editor, article=article)
        raise RuntimeError("something later in the same request failed")

    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW
    assert not Event.objects.exclude(pk__in=before).exists()
    assert callbacks == []


@pytest.mark.postgres
def test_concurrent_sweeps_never_publish_an_article_twice(transactional_db, postgres_required):
    articles = [ArticleFactory(scheduled=True, publish_at=due_in(-5)) for _ in range(12)]
    start = threading.Barrier(4)
    results: list[list[int]] = []

    def sweep():
        start.wait()
        try:
            results.append(article_publish_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    published = [pk for ids in results for pk in ids]
    assert sorted(published) == sorted(a.pk for a in articles)
    assert WorkflowEvent.objects.filter(action="publish_scheduled").count() == 12
    assert published_events(articles).count() == 12


# ---------------------------------------------------------------------------
# With a real worker and beat
# ---------------------------------------------------------------------------
@pytest.mark.worker
@pytest.mark.slow
def test_a_scheduled_article_goes_live_by_itself_and_an_expiring_one_is_withdrawn(
    recorded, start_worker, start_beat
):
    article = ArticleFactory(scheduled=True, publish_at=due_in(3))
    expiring = ArticleFactory(published=True, unpublish_at=due_in(3))
    start_worker(extra_args=RECORDING_WORKER)
    start_beat(**FAST_BEAT)

    wait_until(lambda: all_published([article]) and all_events_processed([article]), timeout=30)
    wait_until(lambda: Article.objects.get(pk=expiring.pk).status == Status.UNPUBLISHED, timeout=30)

    article.refresh_from_db()
    assert article.published_at >= article.publish_at  # never early
    assert article.publish_delay == article.published_at - article.publish_at
    assert_published_exactly_once([article], recorded)
    wait_until(
        lambda: Event.objects.filter(
            topic="article.unpublished", processed_at__isnull=False
        ).exists()
    )
    assert Sweep.objects.filter(name=SWEEP_NAME).exists()


@pytest.mark.worker
@pytest.mark.slow
def test_killing_the_worker_mid_way_loses_and_duplicates_nothing(
    recorded, start_worker, start_beat
):
    articles = [ArticleFactory(scheduled=True, publish_at=due_in(1 + i * 0.15)) for i in range(20)]
    # Slow handlers: the kill lands while an event is claimed and its handler is running.
    worker = start_worker(
        concurrency=2, extra_args=RECORDING_WORKER, OUTBOX_TEST_HANDLER_SECONDS="0.5"
    )
    start_beat(**FAST_BEAT)

    def handler_running() -> bool:
        return (
            Article.objects.published().filter(pk__in=[a.pk for a in articles]).count() >= 3
            and published_events(articles)
            .filter(processed_at__isnull=True, attempts__gt=0)
            .exists()
        )

    wait_until(handler_running, timeout=30, interval=0.02)
    worker.kill(9)

    interrupted = published_events(articles).filter(processed_at__isnull=True, attempts__gt=0)
    assert interrupted.exists()
    assert not all_events_processed(articles)
    wait_until(lambda: timezone.now() > articles[-1].publish_at + timedelta(seconds=1))

    start_worker(concurrency=2, extra_args=RECORDING_WORKER)

    wait_until(lambda: all_published(articles) and all_events_processed(articles), timeout=60)
    assert_published_exactly_once(articles, recorded)
    # The interrupted attempts were counted: the events went through a second time.
    assert published_events(articles).filter(attempts__gte=2).exists()


@pytest.mark.worker
@pytest.mark.slow
def test_an_article_due_while_workers_are_down_goes_out_on_their_first_sweep_back(
    recorded, start_worker, start_beat
):
    article = ArticleFactory(scheduled=True, publish_at=due_in(1))
    start_beat(**FAST_BEAT)  # beat keeps sending sweeps nobody runs

    wait_until(lambda: timezone.now() > article.publish_at + timedelta(seconds=3))
    assert Article.objects.get(pk=article.pk).status == Status.SCHEDULED
    assert (
        Article.objects.overdue(timezone.now(), grace=timedelta(seconds=2))
        .filter(pk=article.pk)
        .exists()
    )

    start_worker(extra_args=RECORDING_WORKER)

    wait_until(lambda: all_published([article]) and all_events_processed([article]), timeout=30)
    article.refresh_from_db()
    assert article.publish_delay >= timedelta(seconds=3)
    transition = WorkflowEvent.objects.get(article=article, action="publish_scheduled")
    assert "after its time" in transition.comment
    assert_published_exactly_once([article], recorded)


@pytest.mark.worker
@pytest.mark.slow
def test_duplicate_wake_ups_and_sweeps_publish_once(recorded, start_worker):
    article = ArticleFactory(scheduled=True, publish_at=due_in(-1))
    worker = start_worker(concurrency=2, extra_args=RECORDING_WORKER)

    for _ in range(5):
        article_publish_wake_task.delay()
    for _ in range(2):
        article_publish_due_task.delay()

    wait_until(lambda: all_published([article]) and all_events_processed([article]), timeout=30)

    def all_tasks_ran() -> bool:
        done = [
            line for line in worker.lines if "articles.publish_" in line and "succeeded" in line
        ]
        return len(done) >= 7

    wait_until(all_tasks_ran, timeout=30)
    assert_published_exactly_once([article], recorded)


@pytest.mark.worker
@pytest.mark.slow
def test_a_backlog_of_other_work_does_not_hold_an_article_past_its_time(
    recorded, start_worker, start_beat
):
    # Twenty slow outbox events queued ahead on the default queue: about 20 s of work for a
    # single worker process.
    backlog = [EventFactory() for _ in range(20)]
    for event in backlog:
        event_process_task.delay(event.pk)
    article = ArticleFactory(scheduled=True, publish_at=due_in(2))
    start_worker(extra_args=RECORDING_WORKER, OUTBOX_TEST_HANDLER_SECONDS="1")
    start_beat(PUBLISHING_SWEEP_SECONDS="1", OUTBOX_SWEEP_SECONDS="60")

    wait_until(lambda: all_published([article]), timeout=30)

    # Published through its own queue while most of the backlog still waits.
    assert (
        Event.objects.filter(pk__in=[e.pk for e in backlog], processed_at__isnull=True).count()
        >= 10
    )
