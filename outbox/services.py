from django.db import transaction

from .models import Event


def event_record(*, topic: str, payload: dict) -> Event:
    """Record a side effect inside the caller's transaction and wake a worker after commit.

    If the transaction rolls back, the event never existed; if the wake-up is lost, the beat
    sweep finds the event anyway.
    """
    event = Event.objects.create(topic=topic, payload=payload)

    def wake() -> None:
        from .tasks import event_process_task

        event_process_task.delay(event.pk)

    transaction.on_commit(wake)
    return event
