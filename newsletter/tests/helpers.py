"""Helpers shared by the newsletter tests."""

from django.core import mail

from newsletter.services import CONFIRMATION_TOPIC
from outbox.models import Event
from outbox.services import event_process


def deliver_confirmations() -> list:
    """Run the outbox events sign-ups recorded (the worker does this after commit) and return
    the messages sent so far (Django's in-memory outbox)."""
    for event in Event.objects.filter(topic=CONFIRMATION_TOPIC, processed_at__isnull=True):
        event_process(event_id=event.pk)
    return mail.outbox
