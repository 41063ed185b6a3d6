from django.db import models
from django.utils import timezone


class EventQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(processed_at__isnull=True, failed_at__isnull=True)

    def due(self, now):
        return self.pending().filter(available_at__lte=now)


class Event(models.Model):
    """A side effect recorded in the same transaction as the change that causes it.

    The worker processes events after commit; a crash in between loses nothing because the
    beat sweep picks up whatever is still pending. Handlers must be idempotent per event id.
    """

    topic = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["available_at"],
                condition=models.Q(processed_at__isnull=True, failed_at__isnull=True),
                name="outbox_event_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"

    @property
    def state(self) -> str:
        """processed, failed, retrying (a handler failed; waits for available_at) or pending."""
        if self.processed_at:
            return "processed"
        if self.failed_at:
            return "failed"
        return "retrying" if self.attempts else "pending"


class Sweep(models.Model):
    """When a periodic sweep last completed, one row per sweep, shared by every host.

    /healthz/full reads it: a sweep that has not completed for a minute means beat or every worker
    is down, and scheduled articles are not going out.
    """

    name = models.CharField(max_length=100, unique=True)
    completed_at = models.DateTimeField()
    duration = models.DurationField(help_text="How long the last run took.")
    handled = models.PositiveIntegerField(
        default=0, help_text="How many items the last run published, withdrew or processed."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
