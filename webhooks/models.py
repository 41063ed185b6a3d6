import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

TOPICS = [
    ("article.published", "Article published"),
    ("article.updated", "Published article updated"),
    ("article.unpublished", "Article unpublished"),
    ("article.corrected", "Correction added or changed"),
    ("liveblog.entry.published", "Live entry posted"),
    ("liveblog.entry.updated", "Live entry edited"),
    ("liveblog.entry.deleted", "Live entry deleted"),
]


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


class WebhookEndpointQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def subscribed_to(self, topic: str):
        # JSON containment is not portable to SQLite; the list is short, so filter in Python.
        return [endpoint for endpoint in self.active() if topic in endpoint.events]


class WebhookEndpoint(models.Model):
    """A partner's or app's URL that receives signed article events."""

    name = models.CharField(max_length=100, help_text="Who receives it, e.g. “Mobile app”.")
    url = models.URLField("URL", max_length=500, help_text="Receives a POST per event.")
    secret = models.CharField(
        max_length=100,
        default=new_secret,
        help_text="Shared with the receiver, which checks each payload's signature with it.",
    )
    events = models.JSONField(default=list, help_text="Topics sent to this endpoint.")
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Turned off automatically after repeated failures; turn it on again once the "
        "receiver works.",
    )
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "webhook endpoint"

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event for one endpoint: delivered once, retried with backoff until it succeeds or its
    retry window closes. Unique per (endpoint, event), so an event is never sent twice.

    The body is built when each attempt is made, from the article as it is then (or a tombstone
    once it is no longer published), never frozen at event time. One article's events reach an
    endpoint in event order: a delivery waits while an earlier one for the same article is
    pending, and is superseded (never sent) once a later one has been sent.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Delivered"
        FAILED = "failed", "Failed"
        SUPERSEDED = "superseded", "Superseded by a later event"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.BigIntegerField(help_text="The outbox event; receivers deduplicate on it.")
    topic = models.CharField(max_length=100)
    article_id = models.BigIntegerField(null=True, blank=True)
    event_created_at = models.DateTimeField(null=True, blank=True)
    event_data = models.JSONField(
        default=dict, blank=True, help_text="What the event said besides the article."
    )
    payload = models.JSONField(
        null=True, blank=True, help_text="The JSON body of the last attempt, exactly as signed."
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Retries stop at this time (the window restarts when an editor redelivers).
    give_up_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="webhook_delivery_once_per_event"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_due",
            ),
            models.Index(
                fields=["endpoint", "article_id", "event_id"], name="webhook_delivery_article"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.event_id} to {self.endpoint}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: when, how long, what came back."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, help_text="The first kilobyte of the answer.")
    error = models.TextField(blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_number"),
        ]

    def __str__(self) -> str:
        outcome = self.status_code or self.error[:40] or "no answer"
        return f"Attempt {self.number}: {outcome}"
