"""Provider feedback through django-anymail's normalized signals, so any major ESP works:
bounces and complaints suppress addresses, and replies to the List-Unsubscribe mailto
unsubscribe. Receivers are thin: they translate the event and call one service.

Anymail verifies each webhook (basic auth with ANYMAIL_WEBHOOK_SECRET, plus the provider's
signature where it has one) before these run.
"""

import logging

from anymail.signals import inbound, tracking

from .mail import unsubscribe_mailto
from .services import delivery_feedback_record, unsubscribe_by_mail

logger = logging.getLogger(__name__)


def tracking_received(sender, event, esp_name, **kwargs) -> None:
    delivery_feedback_record(
        event_type=event.event_type,
        recipient=event.recipient,
        reject_reason=event.reject_reason,
        description=event.description or event.mta_response or "",
        esp_name=esp_name,
    )


def inbound_received(sender, event, esp_name, **kwargs) -> None:
    message = event.message
    if message is None:
        return
    recipients = {address.addr_spec.lower() for address in (message.to or [])}
    if unsubscribe_mailto().lower() not in recipients:
        return
    if not unsubscribe_by_mail(subject=message.subject or ""):
        logger.info("Unsubscribe email without a valid token", extra={"esp": esp_name})


def connect() -> None:
    tracking.connect(tracking_received, dispatch_uid="newsletter.tracking")
    inbound.connect(inbound_received, dispatch_uid="newsletter.inbound")
