"""Cache invalidation, connected in ArticlesConfig.ready(): outbox events and model signals bump
the versions the API's response cache embeds in its keys (articles/caching.py); sections and
tags, edited in the admin without a service, purge the reader pages that show them
(articles/purges.py).

Signals are used for cache invalidation only, as the conventions allow, and fire after commit
so a render racing the change cannot store old content under the new version.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from outbox.handlers import register

from . import purges
from .caching import article_cache_bump, article_cache_bump_many, site_cache_bump

ARTICLE_TOPICS = (
    "article.published",
    "article.updated",
    "article.unpublished",
    "article.corrected",
)


def invalidate_article_event(event) -> None:
    """The article's own page and every page listing articles (home, Latest, Related)."""
    article_id = (event.payload or {}).get("article_id")
    if article_id:
        article_cache_bump(article_id)
    site_cache_bump()


for _topic in ARTICLE_TOPICS:
    register(_topic)(invalidate_article_event)


def _after_commit(func, *args) -> None:
    # robust: the change is committed; a cache failure must not turn it into an error.
    transaction.on_commit(lambda: func(*args), robust=True)


def article_saved(sender, instance, **kwargs) -> None:
    _after_commit(article_cache_bump, instance.pk)
    # A draft that was never public is on no reader page; anything else may be.
    if instance.status == instance.Status.PUBLISHED or instance.first_published_at is not None:
        _after_commit(site_cache_bump)


def article_deleted(sender, instance, **kwargs) -> None:
    _after_commit(article_cache_bump, instance.pk)
    _after_commit(site_cache_bump)


def article_part_changed(sender, instance, **kwargs) -> None:
    """A byline, correction or related link: shown on its article's page."""
    _after_commit(article_cache_bump, instance.article_id)


def author_changed(sender, instance, **kwargs) -> None:
    """Name, photo and bio appear in the author box of each of their articles and in lists."""
    from .models import Byline

    ids = list(Byline.objects.filter(author_id=instance.pk).values_list("article_id", flat=True))
    _after_commit(article_cache_bump_many, ids)
    _after_commit(site_cache_bump)


def site_changed(sender, instance, **kwargs) -> None:
    """Navigation, site settings, ads, tags: on every page."""
    _after_commit(site_cache_bump)


def _section_changed(sender, instance, created=False, **kwargs) -> None:
    purges.section_changed(instance, created=created)


def _tag_changed(sender, instance, created=False, **kwargs) -> None:
    if not created:  # a new tag (added to an article by its editor) is on no page yet
        purges.tag_changed(instance)


def connect() -> None:
    from taggit.models import Tag

    from authors.models import Author
    from publication.models import AdSlot, SiteSettings

    from .models import Article, Byline, Correction, RelatedLink, Section

    uid = "articles.apicache"
    post_save.connect(article_saved, sender=Article, dispatch_uid=f"{uid}.article.save")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid=f"{uid}.article.delete")
    for model in (Byline, Correction, RelatedLink):
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                article_part_changed, sender=model, dispatch_uid=f"{uid}.{model.__name__}.{name}"
            )
    post_save.connect(author_changed, sender=Author, dispatch_uid=f"{uid}.author.save")
    # Sections and tags are edited in the admin without a service: their saves purge here.
    for model, receiver in ((Section, _section_changed), (Tag, _tag_changed)):
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                receiver, sender=model, dispatch_uid=f"articles.purge.{model.__name__}.{name}"
            )
    for model in (Section, SiteSettings, AdSlot, Tag):
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                site_changed, sender=model, dispatch_uid=f"{uid}.{model.__name__}.{name}"
            )
