"""The fan-out with real parts: Celery worker processes against the test database and the
configured broker, and an SMTP server on loopback that records what each reader received.

The worker processes read their settings from the environment, so each test passes the SMTP
server's address and short leases in ``env``. The sweep, which beat runs every few seconds in
production, is called from the test where a test needs it.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.tests.factories import ArticleFactory
from conftest import wait_until
from newsletter.models import Delivery, Edition, Subscription, Suppression
from newsletter.services import edition_prepare, edition_start, newsletter_sweep
from newsletter.tasks import edition_send_task
from newsletter.tests.factories import (
    EditionFactory,
    ListFactory,
    SubscriptionFactory,
    SuppressionFactory,
    confirmed_subscribers,
)
from newsletter.tokens import unsubscribe_token_make
from newsroom.celery import app as celery_app

# The worker processes see only committed rows.
pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

D = Delivery.Status
SITE_URL = "https://daily.example"


@pytest.fixture
def worker_env(smtp_server, settings):
    settings.SITE_URL = SITE_URL
    settings.NEWSLETTER_FROM_EMAIL = "The Daily Example <news@daily.example>"
    return {
        "EMAIL_URL": smtp_server.email_url,
        "SITE_URL": SITE_URL,
        "NEWSLETTER_FROM_EMAIL": settings.NEWSLETTER_FROM_EMAIL,
        # Short, so a dead worker's rows come back quickly; long enough that a message slowed
        # down by a busy machine keeps its lease.
        "NEWSLETTER_LEASE_SECONDS": "10",
        "NEWSLETTER_CHUNK_SIZE": "200",
        "NEWSLETTER_RETRY_BASE_SECONDS": "0.3",
        "NEWSLETTER_SENDERS": "2",
    }


@pytest.fixture
def editor():
    """A superuser: an editor whose rights do not depend on the role groups of the data
    migrations (a transactional test run earlier flushes those away)."""
    return get_user_model().objects.create_superuser("editor", "editor@daily.example", "pw")


def _edition(digest) -> Edition:
    article = ArticleFactory(published=True, title="Harbour plan approved")
    return EditionFactory(list=digest, articles=[article])


def _status(edition: Edition) -> str:
    edition.refresh_from_db()
    return edition.status


def _sweep_until_sent(edition: Edition, timeout: float = 240) -> None:
    """What beat does every few seconds, until the edition is sent."""

    def sent() -> bool:
        newsletter_sweep()
        return _status(edition) == Edition.Status.SENT

    wait_until(sent, timeout=timeout, interval=0.5)


def _finished_tasks(worker, name: str) -> int:
    return len(re.findall(rf"{re.escape(name)}\[[0-9a-f-]+\] succeeded", worker.output()))


def test_sigkill_mid_send_then_a_new_worker_sends_each_reader_exactly_once(
    digest, editor, smtp_server, start_worker, worker_env, settings
):
    """2,000 confirmed readers, plus some who must get nothing. The worker is killed while one
    message is inside the mail server waiting for its "250"; a new worker finishes the job."""
    settings.NEWSLETTER_STALL_SECONDS = 5
    readers = confirmed_subscribers(digest, 2000)
    not_for_mail = [
        SubscriptionFactory(list=digest, unconfirmed=True).subscriber for _ in range(50)
    ] + [SubscriptionFactory(list=digest, unsubscribed=True).subscriber for _ in range(50)]
    for _ in range(50):
        suppressed = SubscriptionFactory(list=digest).subscriber
        SuppressionFactory(email=suppressed.email)
        not_for_mail.append(suppressed)
    in_flight = readers[600]
    smtp_server.hold(in_flight.email)
    edition = _edition(digest)

    worker = start_worker(concurrency=2, **worker_env)
    edition_start(user=editor, edition=edition)
    smtp_server.wait_held(timeout=120)
    worker.kill()
    smtp_server.release()

    attempting = set(
        Delivery.objects.filter(edition=edition, status=D.ATTEMPTING).values_list(
            "subscriber__email", flat=True
        )
    )
    assert in_flight.email in attempting
    assert len(attempting) <= 2  # one per open connection at most
    sent_before = Delivery.objects.filter(edition=edition, status=D.SENT).count()
    assert 0 < sent_before < 2000

    start_worker(concurrency=2, **worker_env)
    _sweep_until_sent(edition)

    counts = smtp_server.counts()
    eligible = {r.email for r in readers}
    uncertain = set(
        Delivery.objects.filter(edition=edition, was_uncertain=True).values_list(
            "subscriber__email", flat=True
        )
    )
    assert uncertain == attempting
    assert set(counts) == eligible  # nobody else got anything
    assert not {s.email for s in not_for_mail} & set(counts)
    assert all(counts[email] == 1 for email in eligible - uncertain)
    # Daily digest resends messages in doubt; a copy the server already had makes a duplicate,
    # with the same Message-ID. Only those are duplicated, and they are counted in the ledger.
    duplicates = {email for email, n in counts.items() if n > 1}
    assert in_flight.email in duplicates
    assert duplicates <= uncertain
    assert all(counts[email] <= 2 for email in uncertain)
    for email in duplicates:
        first, second = smtp_server.received(email)
        assert first["Message-ID"] == second["Message-ID"]
    ledger = dict(
        Delivery.objects.filter(edition=edition).values_list("status").annotate(n=Count("id"))
    )
    assert ledger == {D.SENT: 2000}
    print(
        f"\ncrash test: {sent_before} sent before SIGKILL, {len(uncertain)} in doubt, "
        f"{len(duplicates)} duplicate(s) delivered, {sum(counts.values())} messages in total"
    )


def test_skip_policy_never_sends_a_message_in_doubt_twice(
    editor, smtp_server, start_worker, worker_env, settings
):
    settings.NEWSLETTER_STALL_SECONDS = 5
    breaking = ListFactory(breaking=True)
    readers = confirmed_subscribers(breaking, 300)
    in_flight = readers[100]
    smtp_server.hold(in_flight.email)
    edition = _edition(breaking)

    worker = start_worker(concurrency=1, **worker_env)
    edition_start(user=editor, edition=edition)
    smtp_server.wait_held(timeout=120)
    worker.kill()
    smtp_server.release()
    start_worker(concurrency=1, **worker_env)
    _sweep_until_sent(edition)

    counts = smtp_server.counts()
    assert set(counts) == {r.email for r in readers}
    assert set(counts.values()) == {1}
    row = Delivery.objects.get(edition=edition, subscriber=in_flight)
    assert (row.status, row.skip_reason, row.was_uncertain) == (D.SKIPPED, "uncertain", True)
    assert Delivery.objects.filter(edition=edition, status=D.SENT).count() == 299


def test_duplicate_wake_ups_claim_nothing_twice(digest, smtp_server, start_worker, worker_env):
    readers = confirmed_subscribers(digest, 600)
    edition = _edition(digest)
    worker = start_worker(concurrency=2, **worker_env)

    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.PREPARING)
    edition_prepare(edition_id=edition.pk)  # wakes 2 senders after commit
    for _ in range(6):
        edition_send_task.delay(edition.pk)
    wait_until(lambda: _status(edition) == Edition.Status.SENT, timeout=180)
    wait_until(lambda: _finished_tasks(worker, "newsletter.send_edition") >= 8, timeout=60)
    for _ in range(3):
        edition_send_task.delay(edition.pk)
    wait_until(lambda: _finished_tasks(worker, "newsletter.send_edition") >= 11, timeout=60)

    assert smtp_server.counts() == {r.email: 1 for r in readers}
    assert Delivery.objects.filter(edition=edition, status=D.SENT).count() == 600


def test_a_wake_up_for_a_rolled_back_edition_sends_nothing(
    digest, editor, smtp_server, start_worker, worker_env
):
    confirmed_subscribers(digest, 20)
    worker = start_worker(concurrency=1, **worker_env)

    with pytest.raises(RuntimeError), transaction.atomic():
        edition = _edition(digest)
        Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.PREPARING)
        edition_prepare(edition_id=edition.pk)
        # A message that reaches the broker before the transaction commits (a plain .delay()).
        edition_send_task.delay(edition.pk)
        raise RuntimeError("the request failed after enqueueing")

    wait_until(lambda: _finished_tasks(worker, "newsletter.send_edition") >= 1, timeout=60)
    assert not Edition.objects.exists()
    assert not Delivery.objects.exists()
    assert smtp_server.total() == 0
    assert "Edition to send no longer exists" in worker.output()


def test_an_unsubscribe_mid_send_stops_later_messages_to_that_reader(
    digest, editor, smtp_server, start_worker, worker_env
):
    readers = confirmed_subscribers(digest, 40)
    held, next_in_chunk, last = readers[9], readers[10], readers[39]
    smtp_server.hold(held.email)
    edition = _edition(digest)
    start_worker(concurrency=1, **{**worker_env, "NEWSLETTER_SENDERS": "1"})

    edition_start(user=editor, edition=edition)
    smtp_server.wait_held(timeout=120)
    # Both rows are claimed by the sending worker already (one chunk of 200).
    assert Delivery.objects.get(edition=edition, subscriber=next_in_chunk).lease_token
    client = Client(enforce_csrf_checks=True)
    for reader in (next_in_chunk, last):
        token = unsubscribe_token_make(subscriber_id=reader.pk, list_ids=[digest.pk])
        response = client.post(
            reverse("newsletter:unsubscribe", kwargs={"token": token}),
            {"List-Unsubscribe": "One-Click"},
        )
        assert response.status_code == 200
    smtp_server.release()
    wait_until(lambda: _status(edition) == Edition.Status.SENT, timeout=180)

    counts = smtp_server.counts()
    assert next_in_chunk.email not in counts
    assert last.email not in counts
    assert counts == {r.email: 1 for r in readers if r not in (next_in_chunk, last)}
    skipped = Delivery.objects.filter(edition=edition, status=D.SKIPPED)
    assert {(d.subscriber_id, d.skip_reason) for d in skipped} == {
        (next_in_chunk.pk, "unsubscribed"),
        (last.pk, "unsubscribed"),
    }
    assert Subscription.objects.get(subscriber=last).unsubscribe_source == "one-click"


def test_a_4xx_reply_is_retried_and_then_delivered_once(
    digest, editor, smtp_server, start_worker, worker_env
):
    readers = confirmed_subscribers(digest, 10)
    busy = readers[3]
    smtp_server.reply_to_rcpt(busy.email, "451 4.7.1 Greylisted, try again later")
    edition = _edition(digest)
    start_worker(concurrency=1, **worker_env)

    edition_start(user=editor, edition=edition)
    wait_until(lambda: _status(edition) == Edition.Status.SENT, timeout=180)

    assert smtp_server.counts() == {r.email: 1 for r in readers}
    row = Delivery.objects.get(edition=edition, subscriber=busy)
    assert (row.status, row.attempts) == (D.SENT, 2)
    assert "451" in row.last_error


def test_a_5xx_bounce_fails_the_message_and_suppresses_the_address(
    digest, editor, smtp_server, start_worker, worker_env
):
    readers = confirmed_subscribers(digest, 10)
    gone = readers[2]
    smtp_server.reply_to_rcpt(gone.email, "550 5.1.1 <mailbox> does not exist")
    edition = _edition(digest)
    start_worker(concurrency=1, **worker_env)

    edition_start(user=editor, edition=edition)
    wait_until(lambda: _status(edition) == Edition.Status.SENT, timeout=180)

    assert smtp_server.counts() == {r.email: 1 for r in readers if r != gone}
    row = Delivery.objects.get(edition=edition, subscriber=gone)
    assert (row.status, row.attempts) == (D.FAILED, 1)
    suppression = Suppression.objects.get(email=gone.email)
    assert suppression.reason == Suppression.Reason.HARD_BOUNCE
    # The next edition leaves the address out.
    following = _edition(digest)
    Edition.objects.filter(pk=following.pk).update(status=Edition.Status.PREPARING)
    edition_prepare(edition_id=following.pk)
    assert not Delivery.objects.filter(edition=following, subscriber=gone).exists()
    assert Delivery.objects.filter(edition=following).count() == 9


def test_the_sweep_wakes_an_edition_whose_wake_up_was_lost(
    digest, smtp_server, start_worker, worker_env, settings
):
    settings.NEWSLETTER_STALL_SECONDS = 5
    readers = confirmed_subscribers(digest, 30)
    edition = _edition(digest)
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.PREPARING)
    edition_prepare(edition_id=edition.pk)
    celery_app.control.purge()  # the broker loses the wake-ups
    Edition.objects.filter(pk=edition.pk).update(
        heartbeat_at=timezone.now() - timezone.timedelta(minutes=5)
    )
    start_worker(concurrency=1, **worker_env)

    _sweep_until_sent(edition)

    assert smtp_server.counts() == {r.email: 1 for r in readers}
