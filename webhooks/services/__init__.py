"""Webhook writes: turning outbox events into deliveries, delivering them, and the editors'
actions (redeliver, enable again, rotate the secret, save an endpoint).

Flow: the articles services record "article.*" events in the outbox inside their transaction;
the outbox worker runs ``deliveries_create_for_event`` (registered in WebhooksConfig.ready), which
creates one delivery per subscribed endpoint in the event's transaction (unique per endpoint and
event, so a re-run creates nothing twice) and wakes a worker after commit. ``delivery_attempt``
sends one signed request, its body built from the article as it is then; a failure is retried
with exponential backoff until the delivery's retry window (24 h by default) closes, and every
attempt is recorded. One article's events reach an endpoint in order.
"""

from .delivering import deliveries_due, deliveries_prune, delivery_attempt, request_body
from .editors import (
    Redelivery,
    deliveries_redeliver,
    endpoint_enable,
    endpoint_rotate_secret,
    endpoint_save,
)
from .events import (
    article_data,
    deliveries_create_for_event,
    delivery_body,
    retry_delay,
    retry_window,
)

__all__ = [
    "Redelivery",
    "article_data",
    "deliveries_create_for_event",
    "deliveries_due",
    "deliveries_prune",
    "deliveries_redeliver",
    "delivery_attempt",
    "delivery_body",
    "endpoint_enable",
    "endpoint_rotate_secret",
    "endpoint_save",
    "request_body",
    "retry_delay",
    "retry_window",
]
