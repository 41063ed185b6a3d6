"""Who reacts to which event topic. Apps register handlers in their AppConfig.ready().

    from outbox.handlers import register

    @register("article.published")
    def invalidate_article_page(event): ...

A handler receives the Event row. It may run more than once for the same event (a worker can
die after the handler ran and before the event is marked processed), so it must be idempotent
per ``event.pk``.
"""

from collections import defaultdict
from collections.abc import Callable

Handler = Callable[["object"], None]
_registry: dict[str, list[Handler]] = defaultdict(list)


def register(topic: str) -> Callable[[Handler], Handler]:
    def decorator(handler: Handler) -> Handler:
        if handler not in _registry[topic]:
            _registry[topic].append(handler)
        return handler

    return decorator


def handlers_for(topic: str) -> list[Handler]:
    return list(_registry.get(topic, ()))


def unregister(topic: str, handler: Handler) -> None:
    """Remove a handler (tests register temporary ones)."""
    if handler in _registry.get(topic, ()):
        _registry[topic].remove(handler)
