"""The delivery ledger as one sender sees it: claiming chunks, marking each message, settling
failures and messages in doubt. Every write after the claim is fenced by the sender's lease
token, so a sender whose lease ran out cannot overwrite another's work."""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.backoff import Backoff

from ..models import Delivery, Edition, List, Subscription, Suppression

logger = logging.getLogger(__name__)

D = Delivery.Status


@dataclass(frozen=True)
class ClaimedRow:
    id: int
    subscriber_id: int
    email: str
    attempts: int


retry_delay = Backoff("NEWSLETTER_RETRY_BASE_SECONDS", "NEWSLETTER_RETRY_MAX_SECONDS")


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
        # True when advance() runs on a connection of its own (the sender's helper thread).
        self.dedicated_connection = False
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
        connection.ensure_connection()
        raw = connection.connection
        if self._raw is not raw:
            self._raw, self._cursor = raw, psycopg.Cursor(raw)
            if self.dedicated_connection and not settings.NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT:
                # Only on the sender's own ledger connection (closed when it stops). See
                # docs/newsletter.md: a worker crash still loses nothing; a PostgreSQL crash
                # can lose the last fraction of a second of marks.
                self._cursor.execute("SET synchronous_commit = off")
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
