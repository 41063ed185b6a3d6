from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .text import normalize_for_matching


class Reason(models.TextChoices):
    """Why a comment is where it is. Every hold and every decision carries one."""

    PREMODERATION = "premoderation", "Pre-moderation"
    NEW_COMMENTER = "new_commenter", "New commenter"
    TRUSTED = "trusted", "Trusted commenter"
    LINK_LIMIT = "link_limit", "Too many links"
    SUSPECT_WORD = "suspect_word", "Suspect word"
    BANNED_WORD = "banned_word", "Banned word"
    DUPLICATE = "duplicate", "Duplicate"
    BANNED = "banned", "Banned email or IP"
    SPAM_CHECK = "spam_check", "Spam checker"
    SPAM_CHECK_UNAVAILABLE = "spam_check_unavailable", "Spam checker unavailable"
    SURGE = "surge", "Surge guard"
    FLAGGED = "flagged", "Flagged by readers"
    MANUAL = "manual", "Moderator decision"
    ERASED = "erased", "Erased on request"


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def in_queue(self):
        """What moderators must look at: pending comments and approved ones readers flagged."""
        return self.filter(Q(status=Comment.Status.PENDING) | Q(flagged_at__isnull=False))

    def by_email(self, email: str):
        return self.filter(author_email=email.strip().lower())

    def personal_data_expired(self, cutoff):
        return self.filter(created_at__lt=cutoff).filter(
            Q(ip_address__isnull=False) | ~Q(user_agent="")
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The comment the reader answered. Usually the parent; at the depth limit the reply is
    # filed one level up (parent) but still answers, and notifies, this one.
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    author_name = models.CharField("name", max_length=80)
    # Never shown to readers; lowercased so history, bans and erasure match every spelling.
    author_email = models.EmailField("email", blank=True)
    author_url = models.URLField("website", blank=True)
    body = models.TextField(help_text="Plain text; links and paragraphs are made at render time.")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # Every reason the comment was held or decided automatically, e.g. ["link_limit", "surge"].
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Raw IP and user agent: kept for abuse handling, purged after COMMENTS_RETENTION_DAYS.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    # Keyed hash of the IP (the /64 network for IPv6) for bans and matching; kept.
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    notify = models.BooleanField(
        "notify by email", default=False, help_text="Approval and reply notifications."
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=30, choices=Reason.choices, blank=True)
    # Set when readers' reports push an approved comment back into the queue.
    flagged_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_status"),
            models.Index(fields=["article", "content_hash"], name="comment_article_hash"),
            models.Index(fields=["author_email", "status"], name="comment_email_status"),
            models.Index(
                fields=["-created_at"],
                condition=Q(status="pending") | Q(flagged_at__isnull=False),
                name="comment_queue",
            ),
        ]
        permissions = [
            ("moderate_comment", "Can approve, reject and mark comments as spam"),
            ("erase_commenter", "Can export and erase a commenter's personal data"),
        ]

    def __str__(self) -> str:
        excerpt = " ".join(self.body.split())[:60]
        return f"{self.author_name}: {excerpt}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"


class ModerationQueue(Comment):
    """The moderators' view of Comment: pending and flagged comments, newest first."""

    class Meta:
        proxy = True
        verbose_name = "comment awaiting moderation"
        verbose_name_plural = "moderation queue"


class Flag(models.Model):
    """A reader's report of an approved comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abusive or harassing"
        HATE = "hate", "Hate speech"
        OFF_TOPIC = "off_topic", "Off topic"
        MISINFORMATION = "misinformation", "False or misleading"
        PRIVACY = "privacy", "Shares someone's personal information"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    text = models.CharField("details", max_length=500, blank=True)
    reporter_email = models.EmailField(blank=True)
    reporter_ip = models.GenericIPAddressField(null=True, blank=True)
    reporter_ip_hash = models.CharField(max_length=64, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One report per comment per network: a reader cannot push a comment alone.
            models.UniqueConstraint(
                fields=["comment", "reporter_ip_hash"], name="flag_one_per_reporter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on comment #{self.comment_id}"


class ModerationAction(models.Model):
    """The audit log: every hold and decision, automatic (no actor) or by a moderator."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted"
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        SPAM = "spam", "Marked as spam"
        FLAG = "flag", "Flagged by readers"
        EDIT = "edit", "Edited"
        BAN_EMAIL = "ban_email", "Banned the email address"
        BAN_IP = "ban_ip", "Banned the IP address"
        ERASE = "erase", "Erased personal data"

    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    reason = models.CharField(max_length=30, choices=Reason.choices, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        who = self.actor or "system"
        return f"{self.get_action_display()} by {who}"


class WordRule(models.Model):
    """An entry of the banned-words (rejected as spam) or suspect-words (held) list."""

    class Kind(models.TextChoices):
        BANNED = "banned", "Banned: reject as spam"
        SUSPECT = "suspect", "Suspect: hold for moderation"

    phrase = models.CharField(
        max_length=100,
        help_text="A word or phrase, matched whole and ignoring case, accents and look-alike "
        'letters. A leading or trailing "*" also matches inside words ("*casino*").',
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SUSPECT)
    normalized = models.CharField(max_length=200, editable=False)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "normalized"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "normalized"], name="wordrule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.phrase} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        self.normalized = normalize_for_matching(self.phrase)
        super().save(*args, **kwargs)


class Ban(models.Model):
    """A blocked email address or IP network. Posts from it are kept as spam, silently."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email address"
        IP = "ip", "IP address"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    value_hash = models.CharField(max_length=64)
    # What moderators see: the email, or the IP's network (never the raw IP, which expires).
    label = models.CharField(max_length=254)
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: permanent.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value_hash"], name="ban_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}"


class ModerationPolicy(models.Model):
    """Post-moderation for a section or an article, and an article's surge-guard state."""

    class Mode(models.TextChoices):
        INHERIT = "inherit", "As the section or site"
        PRE = "pre", "Pre-moderation: every comment waits for a moderator"
        POST = "post", "Post-moderation: trusted commenters appear at once"

    section = models.OneToOneField(
        "articles.Section",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comment_policy",
    )
    article = models.OneToOneField(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comment_policy",
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.INHERIT)
    surge_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="While set and in the future, the article is pre-moderated (surge guard).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "moderation policies"
        constraints = [
            models.CheckConstraint(
                condition=(Q(section__isnull=False) & Q(article__isnull=True))
                | (Q(section__isnull=True) & Q(article__isnull=False)),
                name="policy_section_xor_article",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section or self.article}: {self.get_mode_display()}"


class NotificationRecipient(models.Model):
    """An address that asked for comment notifications; none is mailed before it confirms."""

    email = models.EmailField(unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.email

    @property
    def may_receive(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class MailLog(models.Model):
    """Every mail the comments app sends, keyed so a task run twice sends it once."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", "Confirmation request"
        APPROVED = "approved", "Comment approved"
        REPLY = "reply", "Reply"
        DIGEST = "digest", "Moderator digest"
        ALERT = "alert", "Moderator alert"

    class Outcome(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.EmailField(db_index=True)
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "sent_at"], name="maillog_recipient_sent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient}"
