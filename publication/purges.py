"""What a change to the site's furniture makes the caches drop: the blocks every page shows have
keys of their own (``ads``, ``weather``, ``site``), so such a change never makes every article
stale in the caches that assemble pages from blocks (docs/performance.md, "Keys")."""

from edgecache import purge


def ads_changed() -> None:
    purge(["ads"])


def weather_stored() -> None:
    purge(["weather"])


def site_settings_changed() -> None:
    """The site's name, tagline, logo, social links and page texts, shown on every page."""
    purge(["site"], paths=["/*"])


def connect() -> None:
    """Ads and site settings are edited in the admin without a service of their own: their
    saves purge through signals (cache invalidation is what signals are for here)."""
    from django.db.models.signals import post_delete, post_save

    from .models import AdSlot, SiteSettings

    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(_ads, sender=AdSlot, dispatch_uid=f"publication.purge.ads.{name}")
        signal.connect(
            _settings, sender=SiteSettings, dispatch_uid=f"publication.purge.settings.{name}"
        )


def _ads(sender, **kwargs) -> None:
    ads_changed()


def _settings(sender, **kwargs) -> None:
    site_settings_changed()
