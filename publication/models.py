from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.validators import validate_image_upload


def _default_site_name() -> str:
    return settings.SITE_NAME


def _default_city() -> str:
    return settings.WEATHER_CITY


def _default_latitude() -> float:
    return settings.WEATHER_LATITUDE


def _default_longitude() -> float:
    return settings.WEATHER_LONGITUDE


class SiteSettings(models.Model):
    """The newsroom's identity and reader-facing texts: one row, edited in the admin."""

    SINGLETON_PK = 1

    site_name = models.CharField(max_length=100, default=_default_site_name)
    tagline = models.CharField(max_length=200, blank=True)
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="One or two sentences about the site, shown by search engines and in link "
        "previews of the front page. Empty: the tagline, or a sentence with the site's name.",
    )
    logo = models.ImageField(
        upload_to="site/",
        blank=True,
        validators=[validate_image_upload],
        width_field="logo_width",
        height_field="logo_height",
        help_text="Shown in the masthead instead of the site name, and in search results.",
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    default_image = models.ImageField(
        "image for pages without one",
        upload_to="site/",
        blank=True,
        validators=[validate_image_upload],
        width_field="default_image_width",
        height_field="default_image_height",
        help_text="What search engines and link previews show for an article without a picture, "
        "and for section and author pages: at least 1200 pixels wide, 16:9 is best. Empty: a "
        "plain picture of a newspaper page.",
    )
    default_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    default_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    weather_city = models.CharField(
        "city", max_length=100, default=_default_city, help_text="Shown beside the temperature."
    )
    weather_latitude = models.FloatField("latitude", default=_default_latitude)
    weather_longitude = models.FloatField("longitude", default=_default_longitude)

    facebook_url = models.URLField("Facebook", blank=True)
    twitter_url = models.URLField("X / Twitter", blank=True)
    instagram_url = models.URLField("Instagram", blank=True)
    mastodon_url = models.URLField("Mastodon", blank=True)
    bluesky_url = models.URLField("Bluesky", blank=True)
    linkedin_url = models.URLField("LinkedIn", blank=True)
    youtube_url = models.URLField("YouTube", blank=True)

    postal_address = models.TextField(blank=True, help_text="Also printed in newsletters.")
    about_text = models.TextField(
        "about page", blank=True, help_text="Plain text; blank lines separate paragraphs."
    )
    contact_text = models.TextField(
        "contact page", blank=True, help_text="Plain text; blank lines separate paragraphs."
    )
    privacy_text = models.TextField(
        "privacy page", blank=True, help_text="Plain text; blank lines separate paragraphs."
    )

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="site_settings_singleton"),
        ]

    def __str__(self) -> str:
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "SiteSettings":
        """The row, created with the defaults if missing (for editing)."""
        obj, _ = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
        return obj

    @classmethod
    def current(cls) -> "SiteSettings":
        """The settings to show: the row, or the defaults while nobody has saved any (a read
        never writes)."""
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls(pk=cls.SINGLETON_PK)

    @property
    def meta_description(self) -> str:
        """What the front page (and any page without a description of its own) tells search
        engines about the site."""
        return (
            self.description.strip()
            or self.tagline.strip()
            or f"The latest news, reports and analysis from {self.site_name}."
        )

    @property
    def social_links(self) -> list[tuple[str, str]]:
        links = [
            ("Facebook", self.facebook_url),
            ("X", self.twitter_url),
            ("Instagram", self.instagram_url),
            ("Mastodon", self.mastodon_url),
            ("Bluesky", self.bluesky_url),
            ("LinkedIn", self.linkedin_url),
            ("YouTube", self.youtube_url),
        ]
        return [(label, url) for label, url in links if url]

    @property
    def about_paragraphs(self) -> list[str]:
        return _paragraphs(self.about_text)

    @property
    def contact_paragraphs(self) -> list[str]:
        return _paragraphs(self.contact_text)

    @property
    def privacy_paragraphs(self) -> list[str]:
        return _paragraphs(self.privacy_text)

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.postal_address.splitlines() if line.strip()]


class WeatherStatus(models.Model):
    """The last temperature reading and how the last fetches went: one row, kept in the
    database so the top bar survives a cache flush and staff see in the admin why it is empty."""

    SINGLETON_PK = 1

    city = models.CharField(max_length=100, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    temperature = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=8, blank=True)
    fetched_at = models.DateTimeField("last success", null=True, blank=True)
    attempted_at = models.DateTimeField("last attempt", null=True, blank=True)
    error = models.CharField("last error", max_length=500, blank=True)
    error_at = models.DateTimeField("last error at", null=True, blank=True)
    failures = models.PositiveIntegerField("failed attempts in a row", default=0)

    class Meta:
        verbose_name = "weather status"
        verbose_name_plural = "weather status"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="weather_status_singleton"),
        ]

    def __str__(self) -> str:
        return "Weather status"

    def next_attempt_at(self):
        """When the next fetch is due: WEATHER_REFRESH_SECONDS after a success; after failures
        sooner, 1, 2, 4... minutes after the last attempt (never later than after a success);
        None when it is due at once (nothing fetched yet)."""
        if self.attempted_at is None:
            return None
        refresh = settings.WEATHER_REFRESH_SECONDS
        if self.failures or self.fetched_at is None:
            delay = min(refresh, 60 * 2 ** max(0, self.failures - 1))
            return self.attempted_at + timedelta(seconds=delay)
        return self.fetched_at + timedelta(seconds=refresh)

    def reading(self) -> dict | None:
        """The last reading in the shape the cache holds, or None before the first success."""
        if self.fetched_at is None or self.temperature is None:
            return None
        return {
            "city": self.city,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "temperature": self.temperature,
            "unit": self.unit,
            "fetched_at": self.fetched_at.timestamp(),
        }


def validate_link(value: str) -> None:
    """A full http(s) address, or a path on this site ("/contact/"), which keeps working
    whatever address the site is reached at."""
    if (
        value.startswith("/")
        and not value.startswith("//")
        and not any(ch.isspace() or ch in '\\<>"' for ch in value)
    ):
        return
    URLValidator(
        schemes=["http", "https"],
        message="Enter a full address (https://…) or a path on this site starting with /.",
    )(value)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


class AdSlotQuerySet(models.QuerySet):
    def live(self, now=None):
        """Switched on and not over yet (may still be waiting for its start)."""
        now = now or timezone.now()
        return self.filter(is_enabled=True).filter(Q(active_to__isnull=True) | Q(active_to__gt=now))

    def active(self, now=None):
        now = now or timezone.now()
        return self.live(now).filter(Q(active_from__isnull=True) | Q(active_from__lte=now))


class AdSlot(models.Model):
    """An advertisement in a placement on the reader site: an image with a link, or HTML."""

    class Placement(models.TextChoices):
        HOME_TOP = "home_top", "Home page, below the top stories"
        ARTICLE = "article", "Article page, above Latest Articles"
        SIDEBAR = "sidebar", "List pages (section, author, tag, archive, search)"

    name = models.CharField(max_length=200, help_text="For the newsroom only; never shown.")
    placement = models.CharField(max_length=20, choices=Placement.choices, db_index=True)
    image = models.ImageField(
        upload_to="ads/%Y/",
        blank=True,
        validators=[validate_image_upload],
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_text = models.CharField(max_length=300, blank=True)
    link_url = models.CharField(
        "link",
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text="A full address (https://…) or a page of this site (/contact/).",
    )
    html = models.TextField(
        "HTML snippet",
        blank=True,
        help_text="Used instead of the image when set. Sanitized: no scripts, no event handlers.",
    )
    is_enabled = models.BooleanField("on", default=True)
    active_from = models.DateTimeField(null=True, blank=True)
    active_to = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AdSlotQuerySet.as_manager()

    class Meta:
        verbose_name = "ad slot"
        ordering = ["placement", "position", "id"]
        permissions = [("change_adslot_html", "Can edit the HTML snippet of an ad slot")]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_to__isnull=True)
                | Q(active_to__gt=models.F("active_from")),
                name="adslot_window_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.image and not self.html.strip():
            raise ValidationError("An ad needs an image or an HTML snippet.")
        if self.image and not self.html.strip() and not self.alt_text.strip():
            raise ValidationError({"alt_text": "Describe the image for readers who cannot see it."})
        if self.active_from and self.active_to and self.active_to <= self.active_from:
            raise ValidationError({"active_to": "The end must come after the start."})

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.is_enabled
            and (self.active_from is None or self.active_from <= now)
            and (self.active_to is None or self.active_to > now)
        )
