"""Editions: who may send, what may be sent, scheduling, pause/resume/cancel, the daily digest,
breaking-news alerts from the outbox, test sends and the sweep."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from articles.tests.factories import ArticleFactory
from authors.tests.factories import UserFactory
from core.errors import InvalidTransition, NotAllowed
from newsletter.models import Delivery, Edition, EditionArticle
from newsletter.services import (
    edition_cancel,
    edition_compose_digest,
    edition_create_breaking,
    edition_pause,
    edition_prepare,
    edition_resume,
    edition_send_test,
    edition_start,
    edition_unschedule,
    newsletter_sweep,
)
from newsletter.tests.factories import EditionFactory, SubscriptionFactory
from outbox.models import Event
from outbox.services import event_process

pytestmark = pytest.mark.django_db

S = Edition.Status


def test_editors_may_send_and_reporters_may_not(
    edition, editor, django_capture_on_commit_callbacks
):
    with pytest.raises(NotAllowed):
        edition_start(user=UserFactory(reporter=True), edition=edition)
    with pytest.raises(NotAllowed):
        edition_start(user=None, edition=edition)

    with django_capture_on_commit_callbacks() as callbacks:
        started = edition_start(user=editor, edition=edition)

    assert started.status == S.PREPARING
    assert len(callbacks) == 1  # the preparation is queued after commit


def test_an_edition_with_an_unpublished_article_cannot_be_sent(digest, editor):
    draft = ArticleFactory(title="Still a draft")
    edition = EditionFactory(list=digest, articles=[ArticleFactory(published=True), draft])

    with pytest.raises(InvalidTransition, match="Still a draft"):
        edition_start(user=editor, edition=edition)
    edition.refresh_from_db()
    assert edition.status == S.DRAFT


def test_an_empty_edition_cannot_be_sent(digest, editor):
    edition = EditionFactory(list=digest, intro="")

    with pytest.raises(InvalidTransition, match="at least one article"):
        edition_start(user=editor, edition=edition)


def test_an_edition_is_sent_once(edition, editor):
    edition_start(user=editor, edition=edition)

    with pytest.raises(InvalidTransition):
        edition_start(user=editor, edition=edition)


def test_a_future_send_time_schedules_and_the_sweep_starts_it_when_due(edition, editor):
    edition.send_at = timezone.now() + timedelta(hours=1)
    edition.save()

    assert edition_start(user=editor, edition=edition).status == S.SCHEDULED
    assert newsletter_sweep()["started"] == 0
    result = newsletter_sweep(now=timezone.now() + timedelta(hours=1, seconds=1))

    edition.refresh_from_db()
    assert result["started"] == 1
    assert edition.status == S.PREPARING


def test_a_scheduled_edition_can_go_back_to_draft(edition, editor):
    edition.send_at = timezone.now() + timedelta(hours=1)
    edition.save()
    edition_start(user=editor, edition=edition)

    assert edition_unschedule(user=editor, edition=edition).status == S.DRAFT


def test_pause_resume_and_cancel(edition, editor, digest):
    for _ in range(3):
        SubscriptionFactory(list=digest)
    edition_start(user=editor, edition=edition)
    edition_prepare(edition_id=edition.pk)

    paused = edition_pause(user=editor, edition=edition)
    assert (paused.status, paused.status_reason) == (
        S.PAUSED,
        f"Paused by {editor.get_full_name()}.",
    )
    with pytest.raises(InvalidTransition):
        edition_pause(user=editor, edition=edition)
    assert edition_resume(user=editor, edition=edition).status == S.SENDING
    cancelled = edition_cancel(user=editor, edition=edition)

    assert cancelled.status == S.FAILED
    assert cancelled.status_reason.startswith("Cancelled by")
    assert set(Delivery.objects.values_list("status", "skip_reason")) == {("skipped", "cancelled")}
    with pytest.raises(InvalidTransition):
        edition_cancel(user=editor, edition=edition)


def test_resuming_an_edition_paused_before_preparation_prepares_it(edition, editor):
    edition_start(user=editor, edition=edition)
    edition_pause(user=editor, edition=edition)

    assert edition_resume(user=editor, edition=edition).status == S.PREPARING


def test_publishing_a_breaking_article_creates_one_alert(breaking, editor):
    SubscriptionFactory(list=breaking)
    article = ArticleFactory(published=True, is_breaking=True, title="Bridge closed")

    for _ in range(2):  # the event processed twice, or the article republished
        Event.objects.create(topic="article.published", payload={"article_id": article.pk})
    for event in Event.objects.filter(topic="article.published"):
        event_process(event_id=event.pk)

    edition = Edition.objects.get()
    assert (edition.kind, edition.list, edition.status) == ("breaking", breaking, S.PREPARING)
    assert edition.subject == "Breaking: Bridge closed"
    assert list(edition.articles.all()) == [article]
    assert edition.dedupe_key == f"breaking:{article.pk}"


def test_an_ordinary_or_unpublished_article_sends_no_alert(breaking):
    ordinary = ArticleFactory(published=True)
    unpublished = ArticleFactory(unpublished=True, is_breaking=True)

    assert edition_create_breaking(article_id=ordinary.pk) is None
    assert edition_create_breaking(article_id=unpublished.pk) is None
    assert edition_create_breaking(article_id=987654) is None
    assert not Edition.objects.exists()


def _local(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return timezone.make_aware(datetime(2026, 3, day, hour, minute))


def test_the_daily_digest_is_composed_once_at_its_time(digest, settings):
    settings.NEWSLETTER_DIGEST_TIME = "07:30"
    old = ArticleFactory(published=True, published_at=_local(6, day=1) - timedelta(days=1))
    fresh = [ArticleFactory(published=True, published_at=_local(h, day=1)) for h in (9, 15, 20)]
    ArticleFactory(title="Draft")

    assert edition_compose_digest(now=_local(7, 29)) is None
    edition = edition_compose_digest(now=_local(7, 30))
    assert edition_compose_digest(now=_local(7, 31)) is None

    assert (edition.kind, edition.list, edition.status) == ("digest", digest, S.PREPARING)
    assert edition.dedupe_key == "digest:2026-03-02"
    ordered = edition.edition_articles.order_by("position").values_list("article_id", flat=True)
    assert list(ordered) == [a.pk for a in reversed(fresh)]
    assert old not in edition.articles.all()


def test_the_next_digest_carries_only_what_is_new(digest, settings):
    settings.NEWSLETTER_DIGEST_TIME = "07:00"
    ArticleFactory(published=True, published_at=_local(9, day=1))
    first = edition_compose_digest(now=_local(7, day=2))
    Edition.objects.filter(pk=first.pk).update(created_at=_local(7, day=2))
    newer = ArticleFactory(published=True, published_at=_local(12, day=2))

    second = edition_compose_digest(now=_local(7, day=3))

    assert list(second.articles.all()) == [newer]


def test_a_digest_with_nothing_new_stays_a_draft_with_the_reason(digest, settings):
    settings.NEWSLETTER_DIGEST_TIME = "07:00"

    edition = edition_compose_digest(now=_local(8))

    assert edition.status == S.DRAFT
    assert "Nothing was published" in edition.status_reason


def test_the_digest_can_wait_for_an_editor(digest, settings):
    settings.NEWSLETTER_DIGEST_TIME = "07:00"
    settings.NEWSLETTER_DIGEST_AUTO_SEND = False
    ArticleFactory(published=True, published_at=_local(6))

    edition = edition_compose_digest(now=_local(8))

    assert edition.status == S.DRAFT
    assert "waiting for an editor" in edition.status_reason
    assert not edition.deliveries.exists()


def test_a_test_send_goes_to_the_editor_only(smtp_settings, edition, editor, digest):
    SubscriptionFactory(list=digest)

    address = edition_send_test(user=editor, edition=edition)

    assert address == editor.email
    assert list(smtp_settings.counts()) == [editor.email]
    [message] = smtp_settings.received(editor.email)
    assert message["Subject"] == f"[Test] {edition.subject}"
    edition.refresh_from_db()
    assert edition.status == S.DRAFT
    assert not Delivery.objects.exists()


def test_the_sweep_wakes_a_quiet_edition_and_leaves_a_busy_one(edition, digest, settings):
    settings.NEWSLETTER_STALL_SECONDS = 60
    SubscriptionFactory(list=digest)
    Edition.objects.filter(pk=edition.pk).update(status=S.PREPARING)
    edition_prepare(edition_id=edition.pk)

    assert newsletter_sweep()["woken"] == 0  # its senders were just woken
    Edition.objects.filter(pk=edition.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=2))
    assert newsletter_sweep()["woken"] == 1
    edition.refresh_from_db()
    assert edition.heartbeat_at > timezone.now() - timedelta(seconds=5)


def test_the_sweep_finishes_an_edition_with_nothing_left(edition):
    Edition.objects.filter(pk=edition.pk).update(status=S.PREPARING)
    edition_prepare(edition_id=edition.pk)  # nobody subscribed

    assert newsletter_sweep()["finished"] == 1
    edition.refresh_from_db()
    assert edition.status == S.SENT
    assert edition.stats["total"] == 0


def test_editors_are_granted_the_newsletter_permissions(editor):
    assert editor.has_perm("newsletter.send_edition")
    assert editor.has_perm("newsletter.add_edition")
    assert editor.has_perm("newsletter.add_list")
    assert editor.has_perm("newsletter.view_delivery")
    assert not editor.has_perm("newsletter.delete_suppression")
    assert not UserFactory(reporter=True).has_perm("newsletter.send_edition")


def test_the_two_lists_exist_after_migrating():
    from newsletter.models import List

    policies = dict(List.objects.values_list("slug", "uncertain_policy"))
    assert policies["daily-digest"] == "resend"
    assert policies["breaking-news"] == "skip"


def test_edition_articles_keep_the_editors_order(digest):
    first, second = ArticleFactory(published=True), ArticleFactory(published=True)
    edition = EditionFactory(list=digest, articles=[second, first])

    assert list(
        EditionArticle.objects.filter(edition=edition).values_list("article_id", flat=True)
    ) == [second.pk, first.pk]
