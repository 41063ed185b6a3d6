import math
import re

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from core.validators import validate_image_upload

WORDS_PER_MINUTE = 230
# A scheduled article this long past its time is overdue: the scheduler has not published it.
OVERDUE_AFTER = timezone.timedelta(minutes=1)
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


def staff_reference(**options) -> models.ForeignKey:
    """Who did something (wrote, edited, decided): kept when the account is deleted, as empty."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **options,
    )


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(
        default=0, help_text="Order in the site navigation (lowest first)."
    )
    in_navigation = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("website:section", kwargs={"slug": self.slug})


def published_q() -> Q:
    """What a reader may see, as a condition (for combining with others: articles.policy)."""
    return Q(status=Article.Status.PUBLISHED, published_at__isnull=False)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What a reader may see. The one definition: every reader-facing surface uses it."""
        return self.filter(published_q())

    def scheduled_due(self, now):
        return self.filter(status=Article.Status.SCHEDULED, publish_at__lte=now)

    def expiry_due(self, now):
        return self.filter(status=Article.Status.PUBLISHED, unpublish_at__lte=now)

    def overdue(self, now, grace=OVERDUE_AFTER):
        return self.filter(status=Article.Status.SCHEDULED, publish_at__lt=now - grace)

    def in_section(self, section):
        return self.filter(section=section)

    def with_listing_relations(self):
        """What a list of articles shows: section, bylines with their authors, tags."""
        return self.select_related("section").prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            "tags",
        )


@reversion.register()
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True, allow_unicode=False)
    dek = models.TextField("standfirst", blank=True, help_text="The summary under the headline.")
    body = models.TextField(blank=True, help_text="Rich text; sanitized when saved.")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(blank=True)
    credit_line = models.CharField(
        max_length=300,
        blank=True,
        help_text='Free text for wire copy, e.g. "With reporting by Reuters".',
    )

    hero_image = models.ImageField(
        upload_to="articles/%Y/%m/",
        blank=True,
        validators=[validate_image_upload],
        width_field="hero_image_width",
        height_field="hero_image_height",
    )
    hero_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField("alt text", max_length=300, blank=True)
    hero_caption = models.CharField("caption", max_length=500, blank=True)
    hero_credit = models.CharField("credit", max_length=200, blank=True)
    # {"480": "articles/renditions/...-480.webp", ...}, filled by the worker after upload.
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    # {"16x9": {"name": ..., "width": 1200, "height": 675, "bytes": ...}, "4x3": ..., "1x1": ...}:
    # the crops search engines and feed readers ask for, made by the worker with the renditions.
    hero_crops = models.JSONField(default=dict, blank=True, editable=False)

    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When a scheduled article goes live."
    )
    unpublish_at = models.DateTimeField(
        null=True, blank=True, help_text="Optional expiry: the article is withdrawn at this time."
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text='The "Updated" time readers see; changes only on substantive edits.',
    )
    publish_delay = models.DurationField(
        null=True, blank=True, editable=False, help_text="How late the last scheduled publish ran."
    )

    seo_title = models.CharField("SEO title", max_length=300, blank=True)
    meta_description = models.CharField(max_length=320, blank=True)
    canonical_url = models.URLField("canonical URL override", blank=True)
    allow_comments = models.BooleanField(default=True)
    is_breaking = models.BooleanField("breaking news", default=False)
    # Live coverage (articles/services/live.py): open since live_since, until live_ended_at.
    live_since = models.DateTimeField(null=True, blank=True, editable=False)
    live_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    live_summary = models.TextField(
        "live coverage summary",
        blank=True,
        editable=False,
        help_text="Rich text shown above the entries; sanitized when saved.",
    )

    created_by = staff_reference(editable=False)
    last_edited_by = staff_reference(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: every save increments it; a save based on an older one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Weighted title > dek > body; kept up to date by a PostgreSQL trigger (migration 0003).
    # Unused on SQLite, where search falls back to a simple match.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(fields=["status", "publish_at"], name="article_status_publish_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish articles"),
            ("edit_any_article", "Can edit any article, including published ones"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # The first publication date: re-publishing or editing never moves a published URL.
        moment = self.first_published_at or self.publish_at or self.created_at or timezone.now()
        local = timezone.localtime(moment)
        return reverse(
            "website:detail",
            kwargs={
                "year": local.year,
                "month": f"{local.month:02d}",
                "day": f"{local.day:02d}",
                "slug": self.slug,
            },
        )

    def clean(self) -> None:
        if self.hero_image and not self.hero_alt.strip():
            raise ValidationError(
                {"hero_alt": "Describe the hero image for readers who cannot see it."}
            )
        if self.unpublish_at and self.publish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError({"unpublish_at": "The expiry must come after the publish time."})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def word_count(self) -> int:
        # The body is sanitized HTML: dropping its tags is enough to count its words. Kept for
        # as long as the body is the same (the page asks twice: reading time and JSON-LD).
        cached = self.__dict__.get("_word_count")
        if cached is None or cached[0] is not self.body:
            cached = (self.body, len(_WORD.findall(_TAG.sub(" ", self.body))))
            self.__dict__["_word_count"] = cached
        return cached[1]

    @property
    def reading_time(self) -> int:
        """Minutes, at least one."""
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def display_title(self) -> str:
        return self.seo_title or self.title

    @property
    def is_live_coverage(self) -> bool:
        """Live coverage, running or ended: the page shows its entries."""
        return self.live_since is not None

    @property
    def is_live(self) -> bool:
        """Live coverage running now: entries may be posted."""
        return self.live_since is not None and self.live_ended_at is None


@reversion.register()
class Byline(models.Model):
    """An author on an article, in the order the editor set, with an optional role label."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(
        max_length=100, blank=True, help_text='e.g. "Reporting by", "Photos by"'
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author"),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.author}".strip()


@reversion.register()
class RelatedLink(models.Model):
    """A hand-picked related link: another article, or an external page with a title."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    target = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField("external URL", blank=True)
    title = models.CharField(max_length=300, blank=True, help_text="Required for external links.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target__isnull=False) & Q(url=""))
                | (Q(target__isnull=True) & ~Q(url="") & ~Q(title="")),
                name="related_link_target_xor_url",
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.target)


@reversion.register()
class Correction(models.Model):
    """A dated note shown to readers under the article, in order. Published notes stay."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField()
    noted_at = models.DateTimeField(default=timezone.now)
    created_by = staff_reference()

    class Meta:
        ordering = ["noted_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.noted_at:%Y-%m-%d})"


class SlugRedirect(models.Model):
    """An old slug of a published article; its URL keeps working by redirecting."""

    old_slug = models.SlugField(max_length=300, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_slug} -> {self.article.slug}"


class WorkflowEvent(models.Model):
    """The audit log of an article: every transition and editor action, who, when, why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="workflow_events")
    actor = staff_reference()
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} -> {self.to_status}"


class ChangeProposal(models.Model):
    """A reporter's proposed edit to a live article, waiting for an editor."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="change_proposals")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(help_text="The proposed field values.")
    base_version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = staff_reference()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Proposed change to {self.article} ({self.get_status_display()})"


class PreviewLink(models.Model):
    """A shareable, expiring, revocable link to an article as it will look to readers."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    # The revision shown; null means "always the latest".
    version = models.ForeignKey(
        "reversion.Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = staff_reference()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Preview of {self.article}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


def live_entry_path(article: Article, entry_id: int) -> str:
    """An entry's permalink: the live page that starts at the entry (``?from=``), scrolled to
    it, so the link opens at the entry without JavaScript however far down newer entries have
    pushed it."""
    return f"{article.get_absolute_url()}?from={int(entry_id)}#entry-{int(entry_id)}"


class EntryQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-id")

    def key_events(self):
        return self.filter(is_key_event=True)

    def pinned(self):
        return self.filter(is_pinned=True)


@reversion.register()
class Entry(models.Model):
    """One update of live coverage: posted, it is on the article's live page at once."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entries")
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text="Rich text; sanitized when saved.")
    authors = models.ManyToManyField("authors.Author", blank=True, related_name="live_entries")
    image = models.ImageField(
        upload_to="live/%Y/%m/",
        blank=True,
        validators=[validate_image_upload],
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # WebP copies of the image by width, {"<width>": "<storage name>"}, made by the worker
    # (articles/images.py), as for hero images.
    image_renditions = models.JSONField(default=dict, blank=True, editable=False)
    image_alt = models.CharField("alt text", max_length=300, blank=True)
    image_caption = models.CharField("caption", max_length=500, blank=True)
    is_key_event = models.BooleanField("key event", default=False)
    is_pinned = models.BooleanField("pinned", default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = staff_reference(editable=False)
    updated_by = staff_reference(editable=False)
    # Optimistic concurrency, as on articles: a change based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = "live entry"
        verbose_name_plural = "live entries"
        indexes = [
            models.Index(fields=["article", "-id"], name="entry_article_newest"),
            models.Index(
                fields=["article", "-id"],
                name="entry_article_key_events",
                condition=Q(is_key_event=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Entry {self.pk}"

    def get_absolute_url(self) -> str:
        return live_entry_path(self.article, self.pk)

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"
