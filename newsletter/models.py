from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class List(models.Model):
    """A mailing list readers subscribe to: "Daily digest", "Breaking news", ..."""

    class UncertainPolicy(models.TextChoices):
        # What to do with a message whose worker died between DATA and the server's reply: the
        # server may or may not have accepted it. Both choices are safe; they differ in which
        # way they err. Resent copies carry the same Message-ID, which many mailbox providers
        # use to drop the duplicate.
        RESEND = "resend", "Resend (a reader may get the same message twice)"
        SKIP = "skip", "Skip (a reader may miss this edition)"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="Also used in List-Id.")
    description = models.CharField(max_length=300, blank=True)
    is_public = models.BooleanField(
        default=True, help_text="Offered in the sign-up box and on the preference page."
    )
    position = models.PositiveIntegerField(default=0)
    uncertain_policy = models.CharField(
        "messages in doubt after a crash",
        max_length=10,
        choices=UncertainPolicy.choices,
        default=UncertainPolicy.RESEND,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    """A reader's address, with the evidence of their consent (double opt-in)."""

    # Stored lower-cased with an ASCII (IDNA) domain, so equality is a plain index lookup.
    email = models.EmailField(max_length=254)
    consent_source = models.CharField(
        max_length=50, blank=True, help_text="Where the reader signed up: signup-box, api, admin."
    )
    consent_ip = models.GenericIPAddressField("sign-up IP", null=True, blank=True)
    consent_at = models.DateTimeField("signed up at", default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField("confirmation IP", null=True, blank=True)
    # Single use: a confirmation link carries this value and confirming clears it.
    confirmation_nonce = models.CharField(max_length=32, blank=True, editable=False)
    confirmation_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_ci"),
        ]
        indexes = [models.Index(fields=["email"], name="newsletter_subscriber_email")]

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    list = models.ForeignKey(List, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNCONFIRMED)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_source = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["list", "subscriber"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "list"], name="newsletter_subscription_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["list", "status"], name="newsletter_sub_audience"),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} on {self.list} ({self.get_status_display()})"


class Suppression(models.Model):
    """An address that is never mailed again, whatever its subscriptions say."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", "Hard bounce"
        COMPLAINT = "complaint", "Spam complaint"
        MANUAL = "manual", "Manual"

    email = models.EmailField(max_length=254, unique=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.TextField(blank=True, help_text="The server's answer or a note.")
    source = models.CharField(max_length=50, blank=True, help_text="smtp, webhook:<esp>, command")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_reason_display()})"


class Edition(models.Model):
    """One issue of a list: what it says, and where its sending stands."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PREPARING = "preparing", "Preparing"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        PAUSED = "paused", "Paused"
        FAILED = "failed", "Failed"

    class Kind(models.TextChoices):
        MANUAL = "manual", "Edited"
        DIGEST = "digest", "Daily digest"
        BREAKING = "breaking", "Breaking news"

    list = models.ForeignKey(List, on_delete=models.PROTECT, related_name="editions")
    extra_lists = models.ManyToManyField(
        List,
        blank=True,
        related_name="+",
        verbose_name="also send to",
        help_text="Subscribers of these lists get it too; a reader on several lists gets one copy.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MANUAL)
    subject = models.CharField(max_length=200)
    intro = models.TextField(blank=True, help_text="Plain text shown above the articles.")
    articles = models.ManyToManyField(
        "articles.Article", through="EditionArticle", related_name="+", blank=True
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_reason = models.TextField(blank=True, help_text="Why it is paused or failed.")
    send_at = models.DateTimeField(null=True, blank=True, help_text="Empty: send when started.")
    # Makes automatic editions idempotent: "breaking:<article id>", "digest:<date>".
    dedupe_key = models.CharField(max_length=100, unique=True, null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    prepared_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Rendered once when the edition is prepared; per-reader parts are placeholders.
    body_html = models.TextField(blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    total = models.PositiveIntegerField("audience", default=0, editable=False)
    # Final counts by delivery status, kept when sending ends so lists need not count rows.
    stats = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("send_edition", "Can send, schedule, pause and resume editions")]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)

    def list_ids(self) -> "list[int]":
        return [self.list_id, *(lst.pk for lst in self.extra_lists.all())]


class EditionArticle(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="edition_articles")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "article"], name="newsletter_editionarticle_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} in {self.edition}"


class Delivery(models.Model):
    """The ledger: one row per (edition, subscriber) is the idempotency key of a message.

    pending -> attempting (just before DATA) -> sent (after the 250 reply). A worker claims a
    chunk by writing its lease token; a row left "attempting" when its lease ran out is in
    doubt, and its list's uncertain_policy decides.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ATTEMPTING = "attempting", "Attempting"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    class SkipReason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed before sending"
        SUPPRESSED = "suppressed", "Address suppressed"
        UNCERTAIN = "uncertain", "In doubt after a crash (list policy: skip)"
        CANCELLED = "cancelled", "Edition cancelled"

    # No index of its own: the (edition, subscriber) and claim indexes start with edition_id.
    # Every index is written on each of a row's three updates (claim, attempting, sent).
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    available_at = models.DateTimeField(default=timezone.now)
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    was_uncertain = models.BooleanField(
        default=False, help_text="A worker died while this message was being handed over."
    )
    skip_reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="newsletter_delivery_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["edition", "status", "id"], name="newsletter_delivery_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.edition_id}/{self.subscriber_id}: {self.status}"
