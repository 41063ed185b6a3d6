from django.conf import settings
from django.db import models
from django.urls import reverse

from core.validators import validate_image_upload


class AuthorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Author(models.Model):
    """A byline: staff, freelancer or agency. A login account is optional."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    job_title = models.CharField(max_length=200, blank=True, help_text="e.g. Senior correspondent")
    bio = models.TextField(
        blank=True, help_text="Plain text; blank lines separate paragraphs. Shown under articles."
    )
    photo = models.ImageField(
        upload_to="authors/%Y/",
        blank=True,
        validators=[validate_image_upload],
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    email = models.EmailField(blank=True, help_text="Private: never shown to readers.")
    website_url = models.URLField("website", blank=True)
    twitter_url = models.URLField("X / Twitter", blank=True)
    mastodon_url = models.URLField("Mastodon", blank=True)
    linkedin_url = models.URLField("LinkedIn", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The staff account of this author, if they log in.",
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("website:author", kwargs={"slug": self.slug})

    @property
    def bio_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.bio.replace("\r\n", "\n").split("\n\n") if p.strip()]

    @property
    def social_links(self) -> list[tuple[str, str]]:
        links = [
            ("Website", self.website_url),
            ("X", self.twitter_url),
            ("Mastodon", self.mastodon_url),
            ("LinkedIn", self.linkedin_url),
        ]
        return [(label, url) for label, url in links if url]
