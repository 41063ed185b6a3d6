"""Cache invalidation only: the "Stay Connected" box lists the public lists, and reader pages
are cached, so a changed list bumps the site-wide page version after commit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from articles.caching import site_cache_bump

from .models import List


def list_changed(sender, instance, **kwargs) -> None:
    transaction.on_commit(site_cache_bump, robust=True)


def connect() -> None:
    post_save.connect(list_changed, sender=List, dispatch_uid="newsletter.list_saved")
    post_delete.connect(list_changed, sender=List, dispatch_uid="newsletter.list_deleted")
