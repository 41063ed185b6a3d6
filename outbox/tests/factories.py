import factory
from django.utils import timezone

from outbox.models import Event


class EventFactory(factory.django.DjangoModelFactory):
    """A pending event, due now; states via traits: EventFactory(failed=True)."""

    class Meta:
        model = Event

    topic = "test.recorded"
    payload = factory.Sequence(lambda n: {"n": n})

    class Params:
        processed = factory.Trait(processed_at=factory.LazyFunction(timezone.now), attempts=1)
        failed = factory.Trait(
            failed_at=factory.LazyFunction(timezone.now), attempts=10, last_error="Boom"
        )
        later = factory.Trait(
            available_at=factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(hours=1))
        )
