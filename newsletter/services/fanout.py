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
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, connections
from django.db.models import Min
from django.utils import timezone

from core.ratelimit import pacer

from ..mail import EditionMessage, Recipient
from ..models import Delivery, Edition
from ..transports import DeliveryError, PermanentFailure, TemporaryFailure, transport_open
from .ledger import ClaimedRow, Ledger, deliveries_reclaim_expired
from .suppressions import suppression_add

logger = logging.getLogger(__name__)

D = Delivery.Status
# How often a sending worker renews its leases, beats its heart and looks for a pause: every
# 2 s, and at least five times per lease.
CHECK_INTERVAL = 2.0


def _check_interval() -> float:
    return min(CHECK_INTERVAL, settings.NEWSLETTER_LEASE_SECONDS / 5)


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    chunks: int = 0
    stopped: str = ""
    errors: list[str] = field(default_factory=list)


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
        self.limiter = pacer(settings.NEWSLETTER_RATE_LIMIT, name="newsletter:send-rate")
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
            self.ledger.dedicated_connection = True
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
