"""Cache invalidation only: the "Stay Connected" box lists the public lists, so a changed list
purges the box's key (``newsletter-lists``) in the transaction that changes it."""

from django.db.models.signals import post_delete, post_save

from edgecache import purge

from .models import List


def list_changed(sender, instance, **kwargs) -> None:
    purge(["newsletter-lists"])


def connect() -> None:
    post_save.connect(list_changed, sender=List, dispatch_uid="newsletter.list_saved")
    post_delete.connect(list_changed, sender=List, dispatch_uid="newsletter.list_deleted")
