"""Editions: composing, starting, preparing (render once, insert the audience in one
statement), pausing, resuming, cancelling, finishing, and test sends. Automatic editions and the
sweep are in automatic.py."""

import logging
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article
from core.emails import canonical_email
from core.errors import InvalidInput, InvalidTransition, NotAllowed, Unavailable
from core.text import clean_text
from core.wakeups import send_wake_up

from .. import mail, transports
from ..models import Delivery, Edition, EditionArticle, List, Subscriber, Subscription, Suppression
from ..selectors import delivery_counts, edition_articles_for_render, edition_related_for_render

logger = logging.getLogger(__name__)

S = Edition.Status


def _require_sender(user) -> None:
    if not (user and user.is_active and user.has_perm("newsletter.send_edition")):
        raise NotAllowed("You may not send newsletter editions.")


def _actor(user) -> str:
    if user is None:
        return "the system"
    return user.get_full_name() or user.get_username()


def _enqueue_prepare(edition_id: int) -> None:
    def wake() -> None:
        from ..tasks import edition_prepare_task

        send_wake_up(edition_prepare_task, edition_id)

    # The state is committed; if the broker is down the sweep prepares it later.
    transaction.on_commit(wake, robust=True)


def edition_wake(*, edition_id: int, count: int | None = None) -> None:
    """Wake ``count`` sending workers for an edition (NEWSLETTER_SENDERS by default).

    A wake-up only says "look at the ledger": a duplicate claims nothing, a lost one is
    replaced by the sweep.
    """
    from ..tasks import edition_send_task

    for _ in range(count or settings.NEWSLETTER_SENDERS):
        if not send_wake_up(edition_send_task, edition_id):
            return  # broker down: the sweep wakes the edition later


# ---------------------------------------------------------------------------
# Composing
# ---------------------------------------------------------------------------
@transaction.atomic
def edition_create(
    *,
    user,
    list: List,
    subject: str,
    intro: str = "",
    articles=(),
    extra_lists=(),
    send_at: datetime | None = None,
    kind: str = Edition.Kind.MANUAL,
    dedupe_key: str | None = None,
) -> Edition:
    """A draft edition with its articles in the given order."""
    if user is not None and not (user.is_active and user.has_perm("newsletter.add_edition")):
        raise NotAllowed("You may not create newsletter editions.")
    subject = " ".join(clean_text(subject or "", multiline=False).split())
    if not subject:
        raise InvalidInput("An edition needs a subject.")
    intro = clean_text(intro or "")
    edition = Edition.objects.create(
        list=list,
        subject=subject,
        intro=intro,
        send_at=send_at,
        kind=kind,
        dedupe_key=dedupe_key,
        created_by=user,
    )
    edition.extra_lists.set([lst for lst in extra_lists if lst.pk != list.pk])
    EditionArticle.objects.bulk_create(
        EditionArticle(edition=edition, article=article, position=position)
        for position, article in enumerate(articles)
    )
    return edition


def _validate_content(edition: Edition) -> None:
    attached = list(
        Article.objects.filter(pk__in=edition.edition_articles.values("article_id")).only(
            "pk", "title", "status", "published_at"
        )
    )
    published = set(
        Article.objects.published()
        .filter(pk__in=[a.pk for a in attached])
        .values_list("pk", flat=True)
    )
    unpublished = [a.title for a in attached if a.pk not in published]
    if unpublished:
        raise InvalidTransition(
            f"Not published yet: {', '.join(unpublished)}. Publish or remove them first."
        )
    if not attached and not edition.intro.strip():
        raise InvalidTransition("Add at least one article or an introduction first.")


def edition_launch(edition: Edition, *, now: datetime) -> Edition:
    """Start a locked, checked edition: scheduled for later, or prepared after commit. The
    system's start (digest, breaking news, the sweep); people go through edition_start()."""
    if edition.send_at and edition.send_at > now:
        edition.status = S.SCHEDULED
    else:
        edition.status = S.PREPARING
        edition.heartbeat_at = now
        _enqueue_prepare(edition.pk)
    edition.status_reason = ""
    edition.save(update_fields=["status", "status_reason", "heartbeat_at"])
    return edition


@transaction.atomic
def edition_start(*, user, edition: Edition) -> Edition:
    """Send now, or at ``send_at`` when that is in the future."""
    _require_sender(user)
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if locked.status not in (S.DRAFT, S.SCHEDULED):
        raise InvalidTransition(f"This edition is {locked.get_status_display().lower()} already.")
    _validate_content(locked)
    edition_launch(locked, now=timezone.now())
    logger.info(
        "Edition started",
        extra={"edition_id": locked.pk, "status": locked.status, "user_id": user.pk},
    )
    return locked


@transaction.atomic
def edition_unschedule(*, user, edition: Edition) -> Edition:
    _require_sender(user)
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if locked.status != S.SCHEDULED:
        raise InvalidTransition("Only a scheduled edition can be unscheduled.")
    locked.status = S.DRAFT
    locked.save(update_fields=["status"])
    return locked


# ---------------------------------------------------------------------------
# Preparing: render once, insert the audience in one statement
# ---------------------------------------------------------------------------
def _audience_insert(edition: Edition) -> int:
    """Insert a pending delivery for every confirmed, unsuppressed subscriber of the edition's
    lists, in one INSERT ... SELECT; a reader on several lists gets one row (DISTINCT), and a
    second run inserts nothing (ON CONFLICT DO NOTHING on the (edition, subscriber) key).

    The same SQL runs on PostgreSQL and on SQLite (3.24+ has ON CONFLICT; the WHERE clause keeps
    SQLite's parser from reading ON CONFLICT as a join constraint).
    """
    list_ids = edition.list_ids()
    placeholders = ", ".join(["%s"] * len(list_ids))
    sql = f"""
        INSERT INTO {Delivery._meta.db_table}
            (edition_id, subscriber_id, status, attempts, available_at, lease_token,
             was_uncertain, skip_reason, last_error)
        SELECT DISTINCT %s, s.subscriber_id, %s, 0, %s, '', %s, '', ''
        FROM {Subscription._meta.db_table} s
        JOIN {Subscriber._meta.db_table} sb ON sb.id = s.subscriber_id
        WHERE s.list_id IN ({placeholders})
          AND s.status = %s
          AND NOT EXISTS (
              SELECT 1 FROM {Suppression._meta.db_table} x WHERE x.email = sb.email
          )
        ORDER BY s.subscriber_id
        ON CONFLICT (edition_id, subscriber_id) DO NOTHING
    """  # noqa: S608 - table names from models, values as parameters
    params = [
        edition.pk,
        Delivery.Status.PENDING,
        timezone.now(),
        False,
        *list_ids,
        Subscription.Status.CONFIRMED,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def edition_prepare(*, edition_id: int) -> Edition | None:
    """Render the edition once and build its delivery ledger, then wake the senders.

    One transaction: a crash leaves the edition "preparing" with no rows, and the sweep runs it
    again. Safe to call twice: the second call finds the edition no longer preparing.
    """
    with transaction.atomic():
        edition = (
            Edition.objects.select_for_update().select_related("list").filter(pk=edition_id).first()
        )
        if edition is None or edition.status != S.PREPARING:
            return None
        articles = edition_articles_for_render(edition)
        if not articles and not edition.intro.strip():
            edition.status = S.FAILED
            edition.status_reason = "None of its articles is published any more: nothing to send."
            edition.save(update_fields=["status", "status_reason"])
            logger.warning("Edition failed: nothing to send", extra={"edition_id": edition.pk})
            return edition
        context = {}
        if edition.kind == Edition.Kind.BREAKING and articles:
            context["related"] = edition_related_for_render(articles[0].article)
        edition.body_html, edition.body_text = mail.edition_render(
            edition=edition, articles=articles, context=context
        )
        inserted = _audience_insert(edition)
        now = timezone.now()
        edition.total = Delivery.objects.filter(edition=edition).count()
        edition.status = S.SENDING
        edition.prepared_at = now
        edition.heartbeat_at = now
        edition.save(
            update_fields=[
                "body_html",
                "body_text",
                "total",
                "status",
                "prepared_at",
                "heartbeat_at",
            ]
        )
        transaction.on_commit(lambda: edition_wake(edition_id=edition.pk), robust=True)
    logger.info("Edition prepared", extra={"edition_id": edition.pk, "audience": inserted})
    return edition


def edition_finish_if_done(*, edition_id: int) -> bool:
    """Mark a sending edition sent once no row is pending or in flight."""
    with transaction.atomic():
        edition = (
            Edition.objects.select_for_update().filter(pk=edition_id, status=S.SENDING).first()
        )
        if edition is None:
            return False
        open_rows = Delivery.objects.filter(
            edition_id=edition_id,
            status__in=[Delivery.Status.PENDING, Delivery.Status.ATTEMPTING],
        )
        if open_rows.exists():
            return False
        edition.status = S.SENT
        edition.finished_at = timezone.now()
        edition.stats = delivery_counts(edition_id)
        edition.save(update_fields=["status", "finished_at", "stats"])
    logger.info("Edition sent", extra={"edition_id": edition_id})
    return True


# ---------------------------------------------------------------------------
# Pausing, resuming, cancelling
# ---------------------------------------------------------------------------
@transaction.atomic
def edition_pause(*, user, edition: Edition, reason: str = "") -> Edition:
    """Stop sending; workers give their claimed rows back within a few seconds."""
    _require_sender(user)
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if locked.status not in (S.SENDING, S.PREPARING):
        raise InvalidTransition("Only an edition that is being sent can be paused.")
    locked.status = S.PAUSED
    locked.status_reason = reason or f"Paused by {_actor(user)}."
    locked.save(update_fields=["status", "status_reason"])
    logger.info("Edition paused", extra={"edition_id": locked.pk, "user_id": user.pk})
    return locked


@transaction.atomic
def edition_resume(*, user, edition: Edition) -> Edition:
    _require_sender(user)
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if locked.status != S.PAUSED:
        raise InvalidTransition("Only a paused edition can be resumed.")
    locked.status_reason = ""
    locked.heartbeat_at = timezone.now()
    if locked.prepared_at is None:
        locked.status = S.PREPARING
        _enqueue_prepare(locked.pk)
    else:
        locked.status = S.SENDING
        transaction.on_commit(lambda: edition_wake(edition_id=locked.pk), robust=True)
    locked.save(update_fields=["status", "status_reason", "heartbeat_at"])
    logger.info("Edition resumed", extra={"edition_id": locked.pk, "user_id": user.pk})
    return locked


@transaction.atomic
def edition_cancel(*, user, edition: Edition) -> Edition:
    """Stop for good: messages not yet sent are skipped."""
    _require_sender(user)
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if locked.status in (S.SENT, S.FAILED):
        raise InvalidTransition(f"This edition is {locked.get_status_display().lower()} already.")
    locked.status = S.FAILED
    locked.status_reason = f"Cancelled by {_actor(user)}."
    locked.finished_at = timezone.now()
    locked.save(update_fields=["status", "status_reason", "finished_at"])
    Delivery.objects.filter(edition=locked, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SKIPPED, skip_reason=Delivery.SkipReason.CANCELLED, lease_until=None
    )
    locked.stats = delivery_counts(locked.pk)
    locked.save(update_fields=["stats"])
    logger.info("Edition cancelled", extra={"edition_id": locked.pk, "user_id": user.pk})
    return locked


def edition_send_test(*, user, edition: Edition) -> str:
    """Send the edition as it would go out now to the editor's own address; returns it."""
    _require_sender(user)
    if not user.email:
        raise NotAllowed("Add an email address to your account to receive test messages.")
    email = canonical_email(user.email)
    preview = Edition.objects.select_related("list").get(pk=edition.pk)
    articles = edition_articles_for_render(preview)
    context = {}
    if preview.kind == Edition.Kind.BREAKING and articles:
        context["related"] = edition_related_for_render(articles[0].article)
    preview.body_html, preview.body_text = mail.edition_render(
        edition=preview, articles=articles, context=context
    )
    subscriber = Subscriber.objects.filter(email=email).first()
    message = mail.EditionMessage(edition=preview, subject_prefix="[Test] ")
    transport = transports.transport_open()
    try:
        transport.send(message, mail.Recipient(subscriber.pk if subscriber else 0, email))
    except transports.DeliveryError as exc:
        raise Unavailable(f"The test message could not be sent: {exc}") from exc
    finally:
        transport.close()
    logger.info("Edition test sent", extra={"edition_id": edition.pk, "user_id": user.pk})
    return email
