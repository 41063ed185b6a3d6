"""The fan-out: workers claim chunks of the delivery ledger and send them over one SMTP
connection each, so a crash, a redelivered task or a retry never sends a message twice (beyond
the one message in doubt per open connection, which the list's policy settles).

The ledger row is the truth. Claiming writes a lease token (``FOR UPDATE SKIP LOCKED``, so two
workers never claim the same row); every later write is fenced by that token, so a worker whose
lease ran out cannot overwrite what another worker did. Per message:

1. one statement marks the previous message sent and this one attempting, but only if the
   reader is still subscribed and not suppressed (an unsubscribe mid-send stops the message);
2. MAIL, RCPT, DATA on the open connection;
3. the 250 reply is recorded by the next message's statement (or at the end of the chunk).

A worker killed between 1 and 3 leaves exactly one row "attempting"; when its lease expires the
row is in doubt and its list's uncertain_policy resends or skips it.
"""

import logging
import random
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone

from ..mail import (
    DeliveryError,
    EditionMessage,
    PermanentFailure,
    Recipient,
    TemporaryFailure,
    transport_open,
)
from ..models import Delivery, Edition, List, Subscription, Suppression
from ..ratelimit import rate_limiter
from .subscribers import suppression_add

logger = logging.getLogger(__name__)

D = Delivery.Status
# How often a sending worker renews its leases, beats its heart and looks for a pause: every
# 2 s, and at least five times per lease.
CHECK_INTERVAL = 2.0


def _check_interval() -> float:
    return min(CHECK_INTERVAL, settings.NEWSLETTER_LEASE_SECONDS / 5)


@dataclass(frozen=True)
class ClaimedRow:
    id: int
    subscriber_id: int
    email: str
    attempts: int


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    chunks: int = 0
    stopped: str = ""
    errors: list[str] = field(default_factory=list)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter, so retries from many workers do not arrive together."""
    base = settings.NEWSLETTER_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    seconds = min(base, settings.NEWSLETTER_RETRY_MAX_SECONDS)
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))


def _lease() -> timedelta:
    return timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)


# ---------------------------------------------------------------------------
# The ledger
# ---------------------------------------------------------------------------
class Ledger:
    """One worker's view of an edition's delivery rows, fenced by its own lease token."""

    def __init__(self, edition: Edition):
        self.edition_id = edition.pk
        self.list_ids = edition.list_ids()
        self.policy = edition.list.uncertain_policy
        self.token = uuid.uuid4().hex
        self.postgres = connection.vendor == "postgresql"
        self._raw = self._cursor = None
        delivery = Delivery._meta.db_table
        subscription = Subscription._meta.db_table
        suppression = Suppression._meta.db_table
        # Table names come from the models and list ids are integers; values are parameters.
        lists = ", ".join(str(int(pk)) for pk in self.list_ids)
        mark_sent = (
            f"UPDATE {delivery} SET status = 'sent', sent_at = {{now}}, lease_until = NULL "  # noqa: S608
            "WHERE id = %s AND lease_token = %s AND status = 'attempting'"
        )
        mark_attempt = (
            f"UPDATE {delivery} SET status = 'attempting', attempts = attempts + 1, "  # noqa: S608
            "attempted_at = {now} "
            "WHERE id = %s AND lease_token = %s AND status = 'pending' "
            f"AND EXISTS (SELECT 1 FROM {subscription} s WHERE s.subscriber_id = %s "
            f"AND s.status = 'confirmed' AND s.list_id IN ({lists})) "
            f"AND NOT EXISTS (SELECT 1 FROM {suppression} x WHERE x.email = %s)"
        )
        self._sql_sent = mark_sent.format(now="%s")
        self._sql_attempt = mark_attempt.format(now="%s")
        # PostgreSQL: both marks in one statement, one round trip and one commit per message;
        # now() is the statement's own time (autocommit).
        self._sql_advance = (
            f"WITH sent AS ({mark_sent.format(now='now()')} RETURNING 1), "  # noqa: S608
            f"attempt AS ({mark_attempt.format(now='now()')} RETURNING 1) "
            "SELECT (SELECT count(*) FROM sent), (SELECT count(*) FROM attempt)"
        )

    def _mine(self, ids, *statuses):
        return Delivery.objects.filter(id__in=ids, lease_token=self.token, status__in=statuses)

    def claim(self, size: int) -> list[ClaimedRow]:
        """Lease up to ``size`` due rows nobody holds, then drop readers who left meanwhile."""
        now = timezone.now()
        with transaction.atomic():
            ids = list(
                Delivery.objects.filter(
                    edition_id=self.edition_id, status=D.PENDING, available_at__lte=now
                )
                .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
                .order_by("id")
                .select_for_update(skip_locked=True)
                .values_list("id", flat=True)[:size]
            )
            if not ids:
                return []
            Delivery.objects.filter(id__in=ids).update(
                lease_token=self.token, lease_until=now + _lease()
            )
        self._skip_ineligible(ids)
        return [
            ClaimedRow(*values)
            for values in self._mine(ids, D.PENDING)
            .order_by("id")
            .values_list("id", "subscriber_id", "subscriber__email", "attempts")
        ]

    def _skip_ineligible(self, ids) -> int:
        rows = self._mine(ids, D.PENDING)
        suppressed = rows.filter(
            Exists(Suppression.objects.filter(email=OuterRef("subscriber__email")))
        ).update(status=D.SKIPPED, skip_reason=Delivery.SkipReason.SUPPRESSED, lease_until=None)
        confirmed = Subscription.objects.filter(
            subscriber_id=OuterRef("subscriber_id"),
            list_id__in=self.list_ids,
            status=Subscription.Status.CONFIRMED,
        )
        left = (
            self._mine(ids, D.PENDING)
            .filter(~Exists(confirmed))
            .update(
                status=D.SKIPPED, skip_reason=Delivery.SkipReason.UNSUBSCRIBED, lease_until=None
            )
        )
        return suppressed + left

    def _pg_cursor(self):
        """A psycopg cursor kept for the hot path. The statement runs once per message, so it
        binds parameters server-side and is prepared once (Django's cursors bind on the
        client, which makes PostgreSQL parse and plan it every time). Autocommit, as Django's."""
        import psycopg

        connection.ensure_connection()
        raw = connection.connection
        if self._raw is not raw:
            self._raw, self._cursor = raw, psycopg.Cursor(raw)
        return self._cursor

    def advance(self, *, sent_id: int | None, row: ClaimedRow) -> bool:
        """Record the previous message as sent and mark ``row`` attempting if its reader is
        still subscribed; True when ``row`` may be sent now."""
        now = timezone.now()
        attempt_params = [now, row.id, self.token, row.subscriber_id, row.email]
        if self.postgres and not connection.in_atomic_block:
            cursor = self._pg_cursor()
            params = [sent_id or 0, self.token, *attempt_params[1:]]
            cursor.execute(self._sql_advance, params, prepare=True)
            marked_sent, marked_attempt = cursor.fetchone()
        else:
            with transaction.atomic(), connection.cursor() as cursor:
                marked_sent = 0
                if sent_id:
                    cursor.execute(self._sql_sent, [now, sent_id, self.token])
                    marked_sent = cursor.rowcount
                cursor.execute(self._sql_attempt, attempt_params)
                marked_attempt = cursor.rowcount
        if sent_id and not marked_sent:
            self._lost_lease(sent_id)
        return bool(marked_attempt)

    def mark_sent(self, delivery_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(self._sql_sent, [timezone.now(), delivery_id, self.token])
            if not cursor.rowcount:
                self._lost_lease(delivery_id)

    def _lost_lease(self, delivery_id: int) -> None:
        logger.warning(
            "A sent message's row was reclaimed before it was marked sent (lease too short?)",
            extra={"edition_id": self.edition_id, "delivery_id": delivery_id},
        )

    def skip_if_ineligible(self, row: ClaimedRow) -> bool:
        return bool(self._skip_ineligible([row.id]))

    def retry(self, row: ClaimedRow, error: str, *, uncertain: bool = False) -> str:
        """Back to pending after a backoff, or failed when out of attempts."""
        attempts = row.attempts + 1
        rows = self._mine([row.id], D.ATTEMPTING)
        if attempts >= settings.NEWSLETTER_MAX_ATTEMPTS:
            rows.update(
                status=D.FAILED, last_error=error[:500], lease_until=None, was_uncertain=uncertain
            )
            return D.FAILED
        rows.update(
            status=D.PENDING,
            available_at=timezone.now() + retry_delay(attempts),
            last_error=error[:500],
            lease_until=None,
            **({"was_uncertain": True} if uncertain else {}),
        )
        return D.PENDING

    def uncertain(self, row: ClaimedRow, error: str) -> str:
        """The connection broke during DATA: the server may have the message."""
        if self.policy == List.UncertainPolicy.SKIP:
            self._mine([row.id], D.ATTEMPTING).update(
                status=D.SKIPPED,
                skip_reason=Delivery.SkipReason.UNCERTAIN,
                was_uncertain=True,
                last_error=error[:500],
                lease_until=None,
            )
            return D.SKIPPED
        return self.retry(row, error, uncertain=True)

    def fail(self, row: ClaimedRow, error: str) -> None:
        self._mine([row.id], D.ATTEMPTING).update(
            status=D.FAILED, last_error=error[:500], lease_until=None
        )

    def release(self, ids) -> None:
        """Give back rows claimed but not attempted (paused, out of time)."""
        if ids:
            self._mine(ids, D.PENDING).update(lease_until=None)

    def heartbeat(self, ids) -> str | None:
        """Renew the leases of the rows still to send; return the edition's status."""
        now = timezone.now()
        if ids:
            self._mine(ids, D.PENDING, D.ATTEMPTING).update(lease_until=now + _lease())
        Edition.objects.filter(pk=self.edition_id).update(heartbeat_at=now)
        return Edition.objects.filter(pk=self.edition_id).values_list("status", flat=True).first()


def deliveries_reclaim_expired(*, edition: Edition, now=None) -> int:
    """Settle rows left "attempting" by a worker that died (their lease ran out).

    Nobody knows whether the server accepted such a message. The list's policy decides: resend
    (the same Message-ID lets the copies be matched) or skip. Either way the row is flagged
    ``was_uncertain`` and counted. A row in doubt too often is failed, so a message that kills
    its worker cannot loop forever.
    """
    now = now or timezone.now()
    expired = Delivery.objects.filter(edition=edition, status=D.ATTEMPTING, lease_until__lt=now)
    note = "In doubt: the worker stopped before the mail server answered."
    if edition.list.uncertain_policy == List.UncertainPolicy.SKIP:
        return expired.update(
            status=D.SKIPPED,
            skip_reason=Delivery.SkipReason.UNCERTAIN,
            was_uncertain=True,
            last_error=note,
            lease_until=None,
        )
    failed = expired.filter(attempts__gte=settings.NEWSLETTER_MAX_ATTEMPTS).update(
        status=D.FAILED, was_uncertain=True, last_error=note + " Out of attempts.", lease_until=None
    )
    resent = expired.update(
        status=D.PENDING, was_uncertain=True, last_error=note, lease_until=None, available_at=now
    )
    if failed or resent:
        logger.warning(
            "Messages in doubt after a worker stopped",
            extra={"edition_id": edition.pk, "resend": resent, "failed": failed},
        )
    return failed + resent


# ---------------------------------------------------------------------------
# The send loop
# ---------------------------------------------------------------------------
class _Marking:
    """The outcome of a ledger write, now or (overlapped) when it completes."""

    def __init__(self, *, future: Future | None = None, value: bool = False):
        self.future = future
        self.value = value

    @property
    def overlapped(self) -> bool:
        return self.future is not None

    def result(self) -> bool:
        return self.future.result() if self.future is not None else self.value


class Sender:
    def __init__(self, edition: Edition, *, deadline: float):
        self.edition = edition
        self.deadline = deadline
        self.ledger = Ledger(edition)
        self.message = EditionMessage(edition=edition)
        self.limiter = rate_limiter()
        self.report = SendReport()
        self.consecutive_failures = 0
        self.last_error = ""
        self.pool: ThreadPoolExecutor | None = None

    def run(self) -> SendReport:
        transport = transport_open()
        # On PostgreSQL the per-message ledger write goes through a second connection in a
        # helper thread, so its round trip (and commit) overlaps the SMTP envelope. Not inside
        # a transaction: the helper's connection would not see its rows.
        if self.ledger.postgres and not connection.in_atomic_block:
            self.pool = ThreadPoolExecutor(1, thread_name_prefix="newsletter-ledger")
        try:
            while time.monotonic() < self.deadline:
                deliveries_reclaim_expired(edition=self.edition)
                chunk = self.ledger.claim(settings.NEWSLETTER_CHUNK_SIZE)
                if not chunk:
                    break
                self.report.chunks += 1
                stopped = self._send_chunk(transport, chunk)
                if stopped:
                    self.report.stopped = stopped
                    break
            else:
                self.report.stopped = "budget"
        finally:
            transport.close()
            if self.pool is not None:
                self.pool.submit(connections.close_all).result()
                self.pool.shutdown()
        return self.report

    def _send_chunk(self, transport, chunk: list[ClaimedRow]) -> str:
        ledger = self.ledger
        sent_id = None
        interval = _check_interval()
        next_check = time.monotonic() + interval
        for index, row in enumerate(chunk):
            now = time.monotonic()
            if now >= next_check or now >= self.deadline:
                remaining = [r.id for r in chunk[index:]]
                if now >= self.deadline:
                    self._flush(sent_id)
                    ledger.release(remaining)
                    return "budget"
                status = ledger.heartbeat(remaining)
                if status != Edition.Status.SENDING:
                    self._flush(sent_id)
                    ledger.release(remaining)
                    return "paused"
                next_check = now + interval
            self.limiter.acquire()
            recipient = Recipient(row.subscriber_id, row.email)
            marking = self._mark(sent_id, row)
            if sent_id:
                self.report.sent += 1
            sent_id = None
            try:
                envelope_error = None
                if marking.overlapped:
                    # The ledger write runs while the server accepts MAIL and RCPT (nothing is
                    # delivered before DATA); DATA waits for it.
                    try:
                        transport.envelope(self.message, recipient)
                    except DeliveryError as exc:
                        envelope_error = exc
                if not marking.result():
                    if marking.overlapped and envelope_error is None:
                        transport.abandon()
                    ledger.skip_if_ineligible(row)
                    self.report.skipped += 1
                    continue
                if envelope_error is not None:
                    raise envelope_error
                if not marking.overlapped:
                    transport.envelope(self.message, recipient)
                transport.content(self.message, recipient)
            except TemporaryFailure as exc:
                if exc.uncertain:
                    outcome = ledger.uncertain(row, str(exc))
                else:
                    outcome = ledger.retry(row, str(exc))
                self._count(outcome, str(exc))
            except PermanentFailure as exc:
                ledger.fail(row, str(exc))
                if exc.hard_bounce:
                    suppression_add(
                        email=row.email,
                        reason="hard_bounce",
                        detail=str(exc),
                        source="smtp",
                    )
                    self.report.failed += 1
                else:
                    self._count(D.FAILED, str(exc))
            else:
                sent_id = row.id
                self.consecutive_failures = 0
            if self.consecutive_failures >= settings.NEWSLETTER_FAILURE_BURST:
                self._flush(sent_id)
                ledger.release([r.id for r in chunk[index + 1 :]])
                edition_pause_for_failures(
                    edition_id=self.edition.pk,
                    reason=(
                        f"Paused after {self.consecutive_failures} failed messages in a row. "
                        f"Last error: {self.last_error}"
                    ),
                )
                return "failures"
        self._flush(sent_id)
        return ""

    def _mark(self, sent_id: int | None, row: ClaimedRow) -> "_Marking":
        if self.pool is not None:
            return _Marking(future=self.pool.submit(self.ledger.advance, sent_id=sent_id, row=row))
        return _Marking(value=self.ledger.advance(sent_id=sent_id, row=row))

    def _flush(self, sent_id: int | None) -> None:
        if sent_id:
            self.ledger.mark_sent(sent_id)
            self.report.sent += 1

    def _count(self, outcome: str, error: str) -> None:
        self.consecutive_failures += 1
        self.last_error = error
        self.report.errors.append(error)
        del self.report.errors[:-20]
        if outcome == D.PENDING:
            self.report.retried += 1
        elif outcome == D.SKIPPED:
            self.report.skipped += 1
        else:
            self.report.failed += 1


def edition_pause_for_failures(*, edition_id: int, reason: str) -> bool:
    paused = Edition.objects.filter(pk=edition_id, status=Edition.Status.SENDING).update(
        status=Edition.Status.PAUSED, status_reason=reason[:2000]
    )
    if paused:
        logger.error("Edition paused", extra={"edition_id": edition_id, "reason": reason})
    return bool(paused)


def edition_send_batch(*, edition_id: int, budget_seconds: float | None = None) -> SendReport:
    """Send an edition's due messages until none is left to claim or the time budget is spent.

    Safe to run any number of times, in any number of workers at once: each claims its own rows.
    Returns what this run did.
    """
    from .editions import edition_finish_if_done, edition_wake

    edition = Edition.objects.select_related("list").filter(pk=edition_id).first()
    if edition is None:
        logger.info("Edition to send no longer exists", extra={"edition_id": edition_id})
        return SendReport(stopped="missing")
    if edition.status != Edition.Status.SENDING:
        return SendReport(stopped=edition.status)
    budget = settings.NEWSLETTER_TASK_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    report = Sender(edition, deadline=time.monotonic() + budget).run()
    if report.stopped in ("paused", "failures"):
        return report
    if edition_finish_if_done(edition_id=edition_id):
        report.stopped = "done"
    elif report.stopped == "budget":
        edition_wake(edition_id=edition_id, count=1)
    else:
        _wake_for_retries(edition_id)
    logger.info(
        "Edition batch sent",
        extra={
            "edition_id": edition_id,
            "sent": report.sent,
            "retried": report.retried,
            "failed": report.failed,
            "skipped": report.skipped,
            "stopped": report.stopped,
        },
    )
    return report


def _wake_for_retries(edition_id: int) -> None:
    """Rows waiting for a retry within the next minute get a short wake-up; later ones are the
    sweep's (no ETA beyond a minute: a Redis broker would redeliver it)."""
    from ..tasks import edition_send_task

    now = timezone.now()
    next_at = Delivery.objects.filter(
        edition_id=edition_id, status=D.PENDING, available_at__gt=now
    ).aggregate(next_at=Min("available_at"))["next_at"]
    if next_at is not None and next_at - now <= timedelta(seconds=60):
        edition_send_task.apply_async((edition_id,), countdown=(next_at - now).total_seconds())
