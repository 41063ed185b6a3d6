"""Purges for what the admin edits without a service, connected in ArticlesConfig.ready():
sections and tags purge the pages that show them (articles/purges.py). Signals are used for
cache invalidation only, as the conventions allow.
"""

from django.db.models.signals import post_delete, post_save

from . import purges


def _section_changed(sender, instance, created=False, **kwargs) -> None:
    purges.section_changed(instance, created=created)


def _tag_changed(sender, instance, created=False, **kwargs) -> None:
    if not created:  # a new tag (added to an article by its editor) is on no page yet
        purges.tag_changed(instance)


def connect() -> None:
    from taggit.models import Tag

    from .models import Section

    for model, receiver in ((Section, _section_changed), (Tag, _tag_changed)):
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                receiver, sender=model, dispatch_uid=f"articles.purge.{model.__name__}.{name}"
            )
