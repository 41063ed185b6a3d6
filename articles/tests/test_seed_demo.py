"""The demo newsroom: a believable small newsroom, loaded once, unchanged by a second run."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Correction, Entry, RelatedLink, Section, WorkflowEvent
from articles.policy import ArticlePolicy
from articles.services.workflow import article_publish
from authors.models import Author
from outbox.models import Event
from publication.models import AdSlot, SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    User = get_user_model()
    return {
        "users": sorted(User.objects.values_list("username", "password", "is_superuser")),
        "sections": sorted(Section.objects.values_list("slug", "name", "position")),
        "authors": sorted(Author.objects.values_list("slug", "bio", "user__username")),
        "articles": sorted(
            Article.objects.values_list("slug", "status", "version", "published_at", "title")
        ),
        "related": RelatedLink.objects.count(),
        "corrections": Correction.objects.count(),
        "revisions": Version.objects.count(),
        "audit": WorkflowEvent.objects.count(),
        "events": Event.objects.count(),
        "ads": sorted(AdSlot.objects.values_list("placement", "image")),
        "entries": sorted(Entry.objects.values_list("article__slug", "body", "created_at")),
        "live": sorted(
            Article.objects.filter(live_since__isnull=False).values_list(
                "slug", "live_since", "live_ended_at", "live_summary"
            )
        ),
    }


def test_seed_builds_the_demo_newsroom():
    output = seed()
    assert [s.name for s in Section.objects.all()] == [
        "World", "Politics", "Business", "Technology", "Opinion"
    ]  # fmt: skip
    assert Author.objects.count() == 6
    assert all(len(a.bio.split(". ")) >= 2 for a in Author.objects.all())
    published = Article.objects.published().filter(live_since__isnull=True)
    assert published.count() == 40
    oldest = published.order_by("published_at").first().published_at
    assert timezone.now() - oldest > timezone.timedelta(days=14)
    assert all(a.body.count("<p>") >= 5 for a in published)
    assert all(a.bylines.exists() and a.tags.exists() for a in published)
    assert RelatedLink.objects.exists() and Correction.objects.exists()
    assert {ad.placement for ad in AdSlot.objects.live()} == set(AdSlot.Placement.values)
    assert Article.objects.filter(status="draft").count() >= 2
    assert Article.objects.filter(status="in_review").count() == 1
    scheduled = Article.objects.get(status="scheduled")
    assert (
        timezone.timedelta(0)
        < scheduled.publish_at - timezone.now()
        < timezone.timedelta(minutes=10)
    )
    assert Version.objects.get_for_object(published.first()).exists()  # made through services
    groups = {
        u.username: {g.name for g in u.groups.all()}
        for u in get_user_model().objects.prefetch_related("groups")
    }
    assert groups["editor"] == {"Editor"}
    assert groups["reporter"] == groups["reporter2"] == {"Reporter"}
    assert groups["moderator"] == {"Moderator"}
    assert get_user_model().objects.get(username="admin").is_superuser
    for username in ("admin", "editor", "reporter", "reporter2", "moderator"):
        assert f"{username}" in output
    assert "newsroom-demo" in output
    assert get_user_model().objects.get(username="editor").check_password("newsroom-demo")


def test_second_run_changes_nothing():
    seed()
    before = snapshot()
    output = seed()
    assert snapshot() == before
    assert "nothing changed" in output


def test_scheduled_article_is_only_created_on_the_first_run():
    seed()
    scheduled = Article.objects.get(status="scheduled")
    article_publish(user=get_user_model().objects.get(username="editor"), article=scheduled)
    seed()
    assert not Article.objects.filter(status="scheduled").exists()


def test_reporter_is_on_the_byline_of_published_articles_to_propose_changes():
    seed()
    reporter = get_user_model().objects.get(username="reporter")
    live = Article.objects.published().filter(bylines__author__user=reporter).first()
    assert live is not None
    assert ArticlePolicy(reporter, live).can_propose_change()


def test_demo_links_follow_the_address_the_site_runs_on(settings, client):
    """Seeded on one port and served on another (`PORT=8080 make run` the second time): no link
    points at the first."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    seed()
    settings.SITE_URL = "http://127.0.0.1:8080"

    page = client.get("/").content.decode()
    article = Article.objects.published().first()
    page += client.get(article.get_absolute_url()).content.decode()

    assert "127.0.0.1:8000" not in page
    assert 'href="http://127.0.0.1:8080/"' in page  # the canonical link
    assert all(not ad.link_url.startswith("http") for ad in AdSlot.objects.all())


def test_about_contact_and_privacy_pages_have_real_content(client, settings):
    settings.COMMENTS_RETENTION_DAYS = 45
    settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS = 5
    seed()

    privacy = client.get("/privacy/").content.decode()
    for fact in (
        "email address",
        "IP address",
        "deleted after 45 days",  # the periods in force
        "works for 5 days",
        "cookie for 365 days",
        "keyed hash",
        "unsubscribe",
        "cookie",
        "a copy",
        "erase",
        "privacy@example.org",
    ):
        assert fact in privacy, fact
    assert "tips@example.org" in client.get("/contact/").content.decode()
    assert "independent newsroom" in client.get("/about/").content.decode()


def test_the_newsroom_keeps_its_own_pages_when_the_demo_runs_again():
    seed()
    SiteSettings.objects.update(privacy_text="Our own notice.")
    seed()
    assert SiteSettings.objects.get().privacy_text == "Our own notice."


def test_the_demo_reads_like_a_newsroom_with_pictures_and_people():
    seed()
    published = list(Article.objects.published().prefetch_related("related_links"))

    titles = [a.title for a in published]
    assert len(set(titles)) == len(titles)  # no headline twice, so none twice in Related
    assert len({a.dek for a in published}) == len(published)
    # Every story written out: no sentence shared between articles, no template left over.
    paragraphs = [p for a in published for p in re.findall(r"<p>(.*?)</p>", a.body)]
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.?!])\s", p) if len(s) > 40]
    assert len(set(sentences)) == len(sentences)
    assert not any(mark in a.body + a.title + a.dek for a in published for mark in '{}"')
    with_picture = [a for a in published if a.hero_image]
    assert len(with_picture) >= 0.8 * len(published)
    assert all(a.hero_alt.startswith("Illustration: ") for a in with_picture)
    assert len({a.hero_alt for a in with_picture}) >= 12  # ships, parliaments, charts...
    for section in Section.objects.all():  # varied within each section too
        assert len({a.hero_alt for a in with_picture if a.section_id == section.pk}) >= 4
    assert len({a.hero_image.read() for a in with_picture}) == len(with_picture)
    for author in Author.objects.all():
        assert author.photo, author.slug
        links = [author.website_url, author.twitter_url, author.mastodon_url, author.linkedin_url]
        assert sum(bool(link) for link in links) >= 2, author.slug
    for article in published:
        targets = [r.target.title for r in article.related_links.all() if r.target_id]
        assert len(set(targets)) == len(targets) and article.title not in targets


def test_the_demo_has_a_running_and_an_ended_live_blog(client):
    """An editor, two reporters and readers can try live coverage at once: one blog runs,
    posted to by both reporters and the editor, with a key event and a pinned entry; the other
    has ended and shows its summary."""
    seed()
    reporters = get_user_model().objects.filter(username__in=["reporter", "reporter2"])
    running = Article.objects.published().get(live_since__isnull=False, live_ended_at=None)
    ended = Article.objects.published().get(live_ended_at__isnull=False)
    assert running.is_live and not ended.is_live
    assert ended.live_since < ended.live_ended_at < timezone.now() - timezone.timedelta(days=1)
    assert ended.live_summary and running.live_summary
    for blog in (running, ended):
        entries = list(blog.entries.prefetch_related("authors"))
        assert len(entries) >= 5
        posters = {entry.created_by for entry in entries}
        assert set(reporters) <= posters, blog.slug  # several entries by two reporters
        assert any(e.is_key_event for e in entries) and sum(e.is_pinned for e in entries) == 1
        assert all(e.authors.exists() for e in entries)
        times = [e.created_at for e in entries]  # newest first, spread over the coverage
        assert times == sorted(times, reverse=True) and times[0] - times[-1] > timezone.timedelta(
            hours=2
        )
        assert blog.live_since <= times[-1]
        assert ArticlePolicy(reporters[0], blog).can_post_entry() is blog.is_live

    page = client.get(running.get_absolute_url()).content.decode()
    assert "badge--live" in page and "Key events" in page and "Pinned" in page
    assert "Landfall near Marlow Bay" in page
    ended_page = client.get(ended.get_absolute_url()).content.decode()
    assert "Live coverage has ended" in ended_page and "84 votes to 80" in ended_page
    reporter2 = get_user_model().objects.get(username="reporter2")
    assert reporter2.check_password("newsroom-demo")
    assert reporter2.author_profile.name == "Amira Okafor"
