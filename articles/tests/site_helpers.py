"""Small builders for the reader-site tests (on top of the app factories)."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, SectionFactory

UNPUBLISHED_STATES = ["draft", "in_review", "scheduled", "unpublished"]


def published(*, ago: timedelta = timedelta(hours=1), **kwargs) -> Article:
    when = timezone.now() - ago
    return ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=when, first_published_at=when, **kwargs
    )


def in_state(state: str, **kwargs) -> Article:
    """An article readers must not see, in one of the non-public states."""
    if state == "draft":
        return ArticleFactory(**kwargs)
    if state == "in_review":
        return ArticleFactory(in_review=True, **kwargs)
    if state == "scheduled":
        return ArticleFactory(scheduled=True, **kwargs)
    if state == "unpublished":
        # Was live once: it has a published_at, which must not make it visible.
        return ArticleFactory(unpublished=True, **kwargs)
    raise ValueError(state)


def section(name: str = "World", slug: str = "world", **kwargs):
    return SectionFactory(name=name, slug=slug, **kwargs)
