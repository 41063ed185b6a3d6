from django.apps import AppConfig
from django.core.signals import setting_changed


class EdgecacheConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "edgecache"
    verbose_name = "Shared caches"

    def ready(self) -> None:
        from outbox.handlers import register

        from . import checks  # noqa: F401 - registers the system checks
        from .services import TOPIC, purge_event_handle

        register(TOPIC)(purge_event_handle)
        setting_changed.connect(_forget_store, dispatch_uid="edgecache.store.reset")


def _forget_store(*, setting, **kwargs) -> None:
    if setting in {"CACHES", "EDGECACHE_CACHE", "EDGECACHE_ORIGIN_CACHE"}:
        from .store import store

        store.reset()
