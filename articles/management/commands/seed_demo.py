"""Load the demo newsroom once. Idempotent: running it again changes nothing.

Accounts for every role, five sections, six authors and about forty published articles over the
last weeks, plus drafts, one article in review and one scheduled a few minutes ahead, two live
blogs (one running, posted to by two reporters and the editor, one that has ended), and a
house ad in every ad placement. Content is
written through the services, so revisions and the workflow log look as they would in real use.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from reversion.models import Revision

from articles.management import demo_images, demo_pages
from articles.management.demo_content import AUTHORS, LIVE_BLOGS, SECTIONS, demo_article
from articles.models import Article, Entry, Section, SlugRedirect, WorkflowEvent
from articles.services.corrections import correction_add
from articles.services.editing import BylineSpec, RelatedSpec, article_create
from articles.services.live import entry_post, live_coverage_end, live_coverage_open
from articles.services.workflow import article_publish, article_schedule, article_submit
from authors.models import Author
from authors.services import author_create
from publication.models import AdSlot, SiteSettings

DEMO_PASSWORD = "newsroom-demo"  # noqa: S105 - printed to the developer; demo data only
PUBLISHED_PER_SECTION = 8
SCHEDULED_IN = timedelta(minutes=5)
STAFF = [
    # username, first name, last name, role group, author slug
    ("editor", "Tomás", "Lindqvist", "Editor", "tomas-lindqvist"),
    ("reporter", "Hannah", "Weiss", "Reporter", "hannah-weiss"),
    # A second reporter, so two people can post to the live blog from two browsers.
    ("reporter2", "Amira", "Okafor", "Reporter", "amira-okafor"),
    ("moderator", "Noor", "Haddad", "Moderator", ""),
]


def _exists(slug: str) -> bool:
    return (
        Article.objects.filter(slug=slug).exists()
        or SlugRedirect.objects.filter(old_slug=slug).exists()
    )


# One house ad per placement: (placement, banner size).
HOUSE_ADS = [
    (AdSlot.Placement.HOME_TOP, (970, 90)),
    (AdSlot.Placement.ARTICLE, (728, 90)),
    (AdSlot.Placement.SIDEBAR, (300, 250)),
]


class Command(BaseCommand):
    help = "Create the demo newsroom (accounts and content) if it is not there yet."

    def handle(self, *args, **options):
        self.created = 0
        self._password_hash = None
        with transaction.atomic():
            admin = self._administrator()
            users = self._staff()
            sections = self._sections()
            authors = self._authors(users["editor"] or admin)
            self._link_accounts(users, authors)
            self._articles(users, sections, authors)
            self._live_blogs(users, sections, authors)
            self._house_ads()
            self._site_pages()
        if self.created:
            self.stdout.write(f"Created {self.created} demo records.")
        else:
            self.stdout.write("The demo newsroom is already there; nothing changed.")
        self.stdout.write("Demo logins for /admin/ (username / password):")
        self.stdout.write(f"  admin     / {DEMO_PASSWORD}   (administrator)")
        for username, _, _, role, _ in STAFF:
            self.stdout.write(f"  {username:<9} / {DEMO_PASSWORD}   ({role.lower()})")

    # -- Site pages -------------------------------------------------------------------------
    def _site_pages(self) -> None:
        """About, Contact and Privacy with real content, unless the newsroom wrote its own."""
        site = SiteSettings.load()
        texts = {
            "tagline": demo_pages.TAGLINE,
            "postal_address": demo_pages.POSTAL_ADDRESS,
            "about_text": demo_pages.ABOUT,
            "contact_text": demo_pages.CONTACT,
            "privacy_text": demo_pages.privacy_text(),
        }
        empty = {name: text for name, text in texts.items() if not getattr(site, name).strip()}
        if empty:
            for name, text in empty.items():
                setattr(site, name, text)
            site.save()
            self.created += 1

    # -- Ads ---------------------------------------------------------------------------------
    def _house_ads(self) -> None:
        """So every ad slot of the reader site shows with its label on the demo."""
        for placement, size in HOUSE_ADS:
            if AdSlot.objects.filter(placement=placement).exists():
                continue
            ad = AdSlot(
                name=f"House ad ({placement})",
                placement=placement,
                alt_text="Advertise with us: reach our readers, ads@example.org",
                # A path, not an address: it keeps working whatever port the site runs on.
                link_url=reverse("website:contact"),
            )
            picture = demo_images.banner(size)
            ad.image.save(picture.name, picture, save=False)
            ad.full_clean()
            ad.save()
            self.created += 1

    # -- Accounts ---------------------------------------------------------------------------
    def _administrator(self):
        User = get_user_model()
        admin = User.objects.filter(is_superuser=True).order_by("pk").first()
        if admin is None:
            admin = User.objects.create_superuser("admin", "admin@example.org", None)
            admin.password = self._demo_password()
            admin.save(update_fields=["password"])
            self.created += 1
        return admin

    def _demo_password(self) -> str:
        # Hashing is deliberately slow; the demo accounts share one hash of one password.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash

    def _staff(self) -> dict:
        User = get_user_model()
        users = {}
        for username, first, last, role, _ in STAFF:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.org",
                    is_staff=True,
                )
                user.password = self._demo_password()
                user.save()
                user.groups.add(Group.objects.get(name=role))
                self.created += 1
            users[username] = user
        return users

    # -- Sections and authors ---------------------------------------------------------------
    def _sections(self) -> dict:
        sections = {}
        for position, (name, slug, description) in enumerate(SECTIONS, start=1):
            section, created = Section.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "description": description, "position": position},
            )
            self.created += created
            sections[slug] = section
        return sections

    def _authors(self, editor) -> dict:
        authors = {}
        for spec in AUTHORS:
            author = Author.objects.filter(slug=spec["slug"]).first()
            if author is None:
                fields = {k: v for k, v in spec.items() if k not in {"section", "name"}}
                fields["photo"] = demo_images.portrait(spec["slug"])
                author = author_create(
                    user=editor,
                    name=spec["name"],
                    email=f"{spec['slug']}@example.org",
                    **fields,
                )
                self.created += 1
            authors[spec["slug"]] = author
        return authors

    def _link_accounts(self, users: dict, authors: dict) -> None:
        for username, _, _, _, author_slug in STAFF:
            author = authors.get(author_slug)
            if author is not None and author.user_id is None:
                Author.objects.filter(pk=author.pk).update(user=users[username])
                author.user = users[username]
                self.created += 1

    # -- Live coverage ----------------------------------------------------------------------
    def _live_blogs(self, users: dict, sections: dict, authors: dict) -> None:
        """A live blog still running and one that has ended, opened, posted to and ended
        through the live services as a desk would, then dated as if it happened then."""
        editor = users["editor"]
        now = timezone.now()
        for blog in LIVE_BLOGS:
            if _exists(blog.slug):
                continue
            article = article_create(
                user=editor,
                title=blog.title,
                section=sections[blog.section],
                body=blog.body,
                bylines=[BylineSpec(author=authors[slug]) for slug in blog.author_slugs],
                tags=blog.tags,
                slug=blog.slug,
                dek=blog.dek,
                **self._picture(blog, blog.slug),
            )
            article_publish(user=editor, article=article, comment="Demo content")
            opened = now - timedelta(minutes=blog.opened_minutes_ago)
            self._backdate(article, opened)
            running = blog.ended_after_minutes is None
            article = live_coverage_open(
                user=editor, article=article, summary=blog.summary if running else None
            )
            for item in blog.entries:
                entry = entry_post(
                    user=users[item.poster],
                    article=article,
                    body=item.body,
                    title=item.title,
                    is_key_event=item.is_key_event,
                    is_pinned=item.is_pinned,
                )
                when = opened + timedelta(minutes=item.minutes)
                Entry.objects.filter(pk=entry.pk).update(created_at=when, updated_at=when)
                self.created += 1
            dates = {"live_since": opened}
            if not running:
                live_coverage_end(user=editor, article=article, summary=blog.summary)
                dates["live_ended_at"] = opened + timedelta(minutes=blog.ended_after_minutes)
            Article.objects.filter(pk=article.pk).update(**dates)
            self.created += 1

    # -- Articles ---------------------------------------------------------------------------
    @staticmethod
    def _slug(article, seen: set[str]) -> str:
        """A slug from the title, the same on every run."""
        base = slugify(article.title)[:200]
        unique, n = base, 1
        while unique in seen:
            n += 1
            unique = f"{base}-{n}"
        seen.add(unique)
        return unique

    def _plan(self, seen: set[str]) -> list[tuple[str, object]]:
        """(slug, DemoArticle) for the published articles, newest first."""
        by_section = {spec["section"]: spec["slug"] for spec in AUTHORS if spec["section"]}
        plan = []
        for index in range(PUBLISHED_PER_SECTION):
            for _, slug, _ in SECTIONS:
                article = demo_article(slug, index, [by_section[slug]])
                if index % 3 == 1 and slug != "opinion":  # columns come without charts
                    article.author_slugs.append("daniel-mercer")
                    article.roles = ["", "Charts by"]
                plan.append((self._slug(article, seen), article))
        return plan

    def _bylines(self, article, authors: dict) -> list:
        roles = article.roles or [""] * len(article.author_slugs)
        return [
            BylineSpec(author=authors[slug], role=role)
            for slug, role in zip(article.author_slugs, roles, strict=True)
        ]

    @staticmethod
    def _picture(article, slug: str) -> dict:
        """The story's illustration, drawn for it (demo_images.py), as article fields."""
        if not article.picture:
            return {}
        picture, shows = demo_images.illustration(article.picture, article.section, slug)
        return {
            "hero_image": picture,
            "hero_alt": f"Illustration: {shows}",
            "hero_caption": "An illustration drawn for the demo newsroom.",
            "hero_credit": "Daniel Mercer",
        }

    def _create(self, *, user, slug, article, sections, authors, **extra) -> Article:
        created = article_create(
            user=user,
            title=article.title,
            section=sections[article.section],
            body=article.body,
            bylines=self._bylines(article, authors),
            tags=article.tags,
            slug=slug,
            dek=article.dek,
            **self._picture(article, slug),
            **extra,
        )
        self.created += 1
        return created

    def _backdate(self, article: Article, when) -> None:
        """Make the history of a demo article read as if it happened then."""
        Article.objects.filter(pk=article.pk).update(
            published_at=when,
            first_published_at=when,
            created_at=when - timedelta(hours=3),
            modified_at=when,
        )
        WorkflowEvent.objects.filter(article=article).update(created_at=when)
        Revision.objects.filter(
            version__content_type=ContentType.objects.get_for_model(Article),
            version__object_id=str(article.pk),
        ).update(date_created=when)

    def _articles(self, users: dict, sections: dict, authors: dict) -> None:
        editor, reporter = users["editor"], users["reporter"]
        now = timezone.now()
        published: dict[str, list[Article]] = {slug: [] for _, slug, _ in SECTIONS}
        seen: set[str] = set()
        for position, (slug, article) in enumerate(self._plan(seen)):
            if _exists(slug):
                existing = Article.objects.filter(slug=slug).first()
                if existing is not None:
                    published[article.section].append(existing)
                continue
            creator = reporter if article.section == "business" else editor
            related = [
                RelatedSpec(target=target) for target in published[article.section][-2:]
            ] if position % 3 == 2 else []  # fmt: skip
            if position % 7 == 3:
                related.append(
                    RelatedSpec(
                        url="https://example.org/reports/annual-review",
                        title="The full report (example.org)",
                    )
                )
            created = self._create(
                user=creator,
                slug=slug,
                article=article,
                sections=sections,
                authors=authors,
                related=related,
            )
            article_publish(user=editor, article=created, comment="Demo content")
            rng = random.Random(f"newsroom-demo-time:{slug}")
            when = now - timedelta(hours=4 + position * 16, minutes=rng.randint(0, 50))
            self._backdate(created, when)
            if article.section == "politics" and position // len(SECTIONS) == 1:
                # The transport levy story: its hearing is next week.
                correction_add(
                    user=editor,
                    article=created,
                    kind="correction",
                    text="An earlier version of this article said the hearing was this week. "
                    "It is next week.",
                )
            published[article.section].append(created)
        self._work_in_progress(users, sections, authors, seen)

    def _work_in_progress(self, users: dict, sections: dict, authors: dict, seen: set) -> None:
        editor, reporter = users["editor"], users["reporter"]
        # The stories after each section's published ones (demo_stories.py).
        drafts = [
            ("business", 8, reporter, ["hannah-weiss", "daniel-mercer"], ["", "Charts by"]),
            ("technology", 8, editor, ["kenji-watanabe"], []),
            ("opinion", 8, editor, ["lucia-ferrer"], []),
        ]
        for section, index, user, author_slugs, roles in drafts:
            article = demo_article(section, index, author_slugs)
            article.roles = roles
            slug = self._slug(article, seen)
            if not _exists(slug):
                self._create(
                    user=user, slug=slug, article=article, sections=sections, authors=authors
                )

        article = demo_article("business", 9, ["hannah-weiss"])
        slug = self._slug(article, seen)
        if not _exists(slug):
            created = self._create(
                user=reporter, slug=slug, article=article, sections=sections, authors=authors
            )
            article_submit(user=reporter, article=created, comment="Ready for a look")

        # Only on the first run: it goes live by itself a few minutes after `make run` starts.
        article = demo_article("world", 8, ["amira-okafor"])
        slug = self._slug(article, seen)
        if not _exists(slug):
            created = self._create(
                user=editor, slug=slug, article=article, sections=sections, authors=authors
            )
            article_schedule(user=editor, article=created, publish_at=timezone.now() + SCHEDULED_IN)
