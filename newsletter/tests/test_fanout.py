"""The sender in this process against a real SMTP server on loopback: what readers receive,
who is skipped, and what the ledger says afterwards."""

import pytest
from django.test.signals import template_rendered

from articles.tests.factories import ArticleFactory
from newsletter.mail import message_id_for
from newsletter.models import Delivery, Edition, Subscription, Suppression
from newsletter.services import (
    deliveries_reclaim_expired,
    edition_prepare,
    edition_send_batch,
)
from newsletter.tests.factories import (
    EditionFactory,
    ListFactory,
    SubscriberFactory,
    SubscriptionFactory,
    SuppressionFactory,
)

pytestmark = pytest.mark.django_db

D = Delivery.Status


def _prepared(edition: Edition) -> Edition:
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.PREPARING)
    edition_prepare(edition_id=edition.pk)
    edition.refresh_from_db()
    return edition


def test_each_confirmed_reader_gets_one_message(smtp_settings, edition, digest):
    readers = [SubscriptionFactory(list=digest).subscriber for _ in range(5)]

    edition = _prepared(edition)
    report = edition_send_batch(edition_id=edition.pk)

    assert report.sent == 5
    assert smtp_settings.counts() == {r.email: 1 for r in readers}
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
    assert edition.stats["sent"] == 5
    assert set(Delivery.objects.values_list("status", flat=True)) == {D.SENT}


def test_message_carries_one_click_unsubscribe_list_id_and_deterministic_message_id(
    smtp_settings, edition, digest
):
    reader = SubscriptionFactory(list=digest).subscriber

    edition = _prepared(edition)
    edition_send_batch(edition_id=edition.pk)

    [message] = smtp_settings.received(reader.email)
    assert message["Message-ID"] == message_id_for(edition_id=edition.pk, subscriber_id=reader.pk)
    assert message["List-Id"] == '"Daily digest" <daily-digest.daily.example>'
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"]
    https_url = unsubscribe.split(">")[0].lstrip("<").strip()
    assert https_url.startswith("https://daily.example/newsletter/unsubscribe/")
    assert "<mailto:unsubscribe@daily.example?subject=unsubscribe%20" in unsubscribe
    assert message["To"] == reader.email
    assert message["From"] == "The Daily Example <news@daily.example>"
    assert message["Subject"] == edition.subject
    text, html = (
        part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart()
    )
    for body in (text, html):
        assert https_url in body
        assert "Harbour plan approved" in body
        assert "1 Harbour Road" in body
        assert "Daily digest" in body
        assert reader.email in body
    assert "/newsletter/preferences/" in html


def test_each_reader_gets_their_own_unsubscribe_link(smtp_settings, edition, digest):
    first, second = (SubscriptionFactory(list=digest).subscriber for _ in range(2))

    edition_send_batch(edition_id=_prepared(edition).pk)

    links = {
        r.email: smtp_settings.received(r.email)[0]["List-Unsubscribe"] for r in (first, second)
    }
    assert links[first.email] != links[second.email]


def test_html_escapes_the_readers_address(smtp_settings, edition, digest):
    reader = SubscriptionFactory(
        list=digest, subscriber__email="o'brien&co@readers.example"
    ).subscriber

    edition_send_batch(edition_id=_prepared(edition).pk)

    [message] = smtp_settings.received(reader.email)
    html = next(p for p in message.walk() if p.get_content_type() == "text/html")
    body = html.get_payload(decode=True).decode()
    assert "o&#x27;brien&amp;co@readers.example" in body
    assert "o'brien&co@readers" not in body


def test_templates_are_rendered_once_per_edition_not_per_reader(smtp_settings, edition, digest):
    for _ in range(20):
        SubscriptionFactory(list=digest)
    rendered = []

    def record(sender, template, context, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        edition = _prepared(edition)
        edition_send_batch(edition_id=edition.pk)
    finally:
        template_rendered.disconnect(record)

    assert smtp_settings.total() == 20
    assert sorted(rendered) == ["newsletter/email/edition.html", "newsletter/email/edition.txt"]


def test_audience_is_confirmed_unsuppressed_readers_and_one_copy_across_lists(
    smtp_settings, edition, digest
):
    breaking = ListFactory(breaking=True)
    edition.extra_lists.add(breaking)
    confirmed = SubscriptionFactory(list=digest).subscriber
    on_both = SubscriptionFactory(list=digest).subscriber
    SubscriptionFactory(list=breaking, subscriber=on_both)
    only_breaking = SubscriptionFactory(list=breaking).subscriber
    unconfirmed = SubscriptionFactory(list=digest, unconfirmed=True).subscriber
    unsubscribed = SubscriptionFactory(list=digest, unsubscribed=True).subscriber
    suppressed = SubscriptionFactory(list=digest).subscriber
    SuppressionFactory(email=suppressed.email)
    SubscriptionFactory(list=ListFactory())  # another list

    edition = _prepared(edition)
    edition_send_batch(edition_id=edition.pk)

    assert edition.total == 3
    assert smtp_settings.counts() == {
        confirmed.email: 1,
        on_both.email: 1,
        only_breaking.email: 1,
    }
    assert unconfirmed.email not in smtp_settings.counts()
    assert unsubscribed.email not in smtp_settings.counts()


def test_preparing_again_inserts_no_second_row(smtp_settings, edition, digest):
    SubscriptionFactory(list=digest)
    edition = _prepared(edition)

    edition = _prepared(edition)

    assert Delivery.objects.filter(edition=edition).count() == 1
    assert edition.total == 1


def test_reader_who_left_after_preparation_is_skipped(smtp_settings, edition, digest):
    stays = SubscriptionFactory(list=digest).subscriber
    leaves = SubscriptionFactory(list=digest)
    bounced = SubscriptionFactory(list=digest).subscriber
    edition = _prepared(edition)

    leaves.status = Subscription.Status.UNSUBSCRIBED
    leaves.save()
    SuppressionFactory(email=bounced.email)
    edition_send_batch(edition_id=edition.pk)

    assert smtp_settings.counts() == {stays.email: 1}
    skipped = dict(
        Delivery.objects.filter(status=D.SKIPPED).values_list("subscriber_id", "skip_reason")
    )
    assert skipped == {leaves.subscriber_id: "unsubscribed", bounced.pk: "suppressed"}


def test_temporary_failure_is_retried_later_with_backoff(smtp_settings, edition, digest, settings):
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 60
    reader = SubscriptionFactory(list=digest).subscriber
    smtp_settings.reply_to_rcpt(reader.email, "451 4.3.0 Mailbox busy, try later")

    edition = _prepared(edition)
    report = edition_send_batch(edition_id=edition.pk)

    row = Delivery.objects.get()
    assert report.retried == 1
    assert (row.status, row.attempts) == (D.PENDING, 1)
    assert "451" in row.last_error
    assert 45 <= (row.available_at - row.attempted_at).total_seconds() <= 75
    assert smtp_settings.counts() == {}
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENDING


def test_permanent_failure_fails_the_row_and_suppresses_a_hard_bounce(
    smtp_settings, edition, digest
):
    gone = SubscriptionFactory(list=digest).subscriber
    blocked = SubscriptionFactory(list=digest).subscriber
    fine = SubscriptionFactory(list=digest).subscriber
    smtp_settings.reply_to_rcpt(gone.email, "550 5.1.1 No such user here")
    smtp_settings.reply_to_data(blocked.email, "554 5.7.1 Message rejected as spam")

    edition = _prepared(edition)
    edition_send_batch(edition_id=edition.pk)

    statuses = dict(Delivery.objects.values_list("subscriber_id", "status"))
    assert statuses == {gone.pk: D.FAILED, blocked.pk: D.FAILED, fine.pk: D.SENT}
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason) == (gone.email, "hard_bounce")
    assert "5.1.1" in suppression.detail
    assert smtp_settings.counts() == {fine.email: 1}


def test_a_row_failing_too_often_is_marked_failed(smtp_settings, edition, digest, settings):
    settings.NEWSLETTER_MAX_ATTEMPTS = 2
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 0
    reader = SubscriptionFactory(list=digest).subscriber
    smtp_settings.reply_to_rcpt(reader.email, *["421 4.7.0 Try again later"] * 5)

    edition = _prepared(edition)
    edition_send_batch(edition_id=edition.pk)

    row = Delivery.objects.get()
    assert (row.status, row.attempts) == (D.FAILED, 2)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT


def test_a_burst_of_failures_pauses_the_edition_with_the_reason(
    smtp_settings, edition, digest, settings
):
    settings.NEWSLETTER_FAILURE_BURST = 5
    readers = [SubscriptionFactory(list=digest).subscriber for _ in range(12)]
    for reader in readers:
        smtp_settings.reply_to_data(reader.email, "554 5.7.1 Sender blocked by policy")

    edition = _prepared(edition)
    report = edition_send_batch(edition_id=edition.pk)

    edition.refresh_from_db()
    assert report.stopped == "failures"
    assert edition.status == Edition.Status.PAUSED
    assert "5 failed messages in a row" in edition.status_reason
    assert "5.7.1" in edition.status_reason
    assert Delivery.objects.filter(status=D.FAILED).count() == 5
    assert Delivery.objects.filter(status=D.PENDING, lease_until__isnull=True).count() == 7
    assert not Suppression.objects.exists()


def test_connection_lost_during_data_follows_the_lists_uncertain_policy(
    smtp_settings, edition, digest, settings
):
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 0
    reader = SubscriptionFactory(list=digest).subscriber
    smtp_settings.drop_connection_in_data(reader.email)

    edition = _prepared(edition)
    edition_send_batch(edition_id=edition.pk)
    edition_send_batch(edition_id=edition.pk)

    row = Delivery.objects.get()
    assert (row.status, row.was_uncertain, row.attempts) == (D.SENT, True, 2)
    # The server kept the first copy; the resent one has the same Message-ID.
    copies = smtp_settings.received(reader.email)
    assert len(copies) == 2
    assert copies[0]["Message-ID"] == copies[1]["Message-ID"]


def test_connection_lost_during_data_is_skipped_when_the_list_says_so(
    smtp_settings, edition, digest
):
    digest.uncertain_policy = "skip"
    digest.save()
    reader = SubscriptionFactory(list=digest).subscriber
    smtp_settings.drop_connection_in_data(reader.email)

    edition = _prepared(edition)
    edition_send_batch(edition_id=edition.pk)

    row = Delivery.objects.get()
    assert (row.status, row.skip_reason, row.was_uncertain) == (D.SKIPPED, "uncertain", True)
    assert len(smtp_settings.received(reader.email)) == 1


@pytest.mark.parametrize(
    ("policy", "status", "skip_reason"),
    [("resend", D.PENDING, ""), ("skip", D.SKIPPED, "uncertain")],
)
def test_a_row_left_attempting_by_a_dead_worker_follows_the_policy(
    digest, edition, policy, status, skip_reason
):
    from django.utils import timezone

    digest.uncertain_policy = policy
    digest.save()
    row = Delivery.objects.create(
        edition=edition,
        subscriber=SubscriberFactory(),
        status=D.ATTEMPTING,
        attempts=1,
        lease_token="dead",
        lease_until=timezone.now() - timezone.timedelta(seconds=1),
    )
    alive = Delivery.objects.create(
        edition=edition,
        subscriber=SubscriberFactory(),
        status=D.ATTEMPTING,
        attempts=1,
        lease_token="alive",
        lease_until=timezone.now() + timezone.timedelta(minutes=1),
    )

    assert deliveries_reclaim_expired(edition=edition) == 1

    row.refresh_from_db()
    alive.refresh_from_db()
    assert (row.status, row.skip_reason, row.was_uncertain) == (status, skip_reason, True)
    assert (alive.status, alive.was_uncertain) == (D.ATTEMPTING, False)


def test_a_paused_edition_sends_nothing(smtp_settings, edition, digest):
    SubscriptionFactory(list=digest)
    edition = _prepared(edition)
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.PAUSED)

    report = edition_send_batch(edition_id=edition.pk)

    assert report.stopped == "paused"
    assert smtp_settings.total() == 0
    assert Delivery.objects.get().status == D.PENDING


def test_an_edition_that_no_longer_exists_sends_nothing(smtp_settings):
    assert edition_send_batch(edition_id=987654).stopped == "missing"
    assert smtp_settings.total() == 0


def test_an_edition_whose_articles_were_unpublished_fails_with_a_reason(digest):
    article = ArticleFactory(unpublished=True)
    edition = EditionFactory(list=digest, articles=[article], intro="")
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.PREPARING)

    edition_prepare(edition_id=edition.pk)

    edition.refresh_from_db()
    assert edition.status == Edition.Status.FAILED
    assert "published" in edition.status_reason
    assert not Delivery.objects.exists()


@pytest.mark.usefixtures("postgres_required")
@pytest.mark.parametrize(("synchronous", "expected"), [(True, "on"), (False, "off")])
def test_the_ledger_connection_commits_as_configured(edition, settings, synchronous, expected):
    """Only a sender's own ledger connection may skip waiting for the WAL flush."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from newsletter.services.ledger import Ledger

    settings.NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT = synchronous
    ledger = Ledger(edition)
    ledger.dedicated_connection = True

    def show() -> str:
        try:
            cursor = ledger._pg_cursor()
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(show).result() == expected
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"  # Django's own connection is untouched
