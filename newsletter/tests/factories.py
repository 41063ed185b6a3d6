import factory
from django.utils import timezone

from newsletter.models import (
    Delivery,
    Edition,
    EditionArticle,
    List,
    Subscriber,
    Subscription,
    Suppression,
)


class ListFactory(factory.django.DjangoModelFactory):
    """Lists are unique by slug: ListFactory(slug="daily-digest") returns the existing one."""

    class Meta:
        model = List
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"List {n}")
    slug = factory.Sequence(lambda n: f"list-{n}")
    description = "News by email."

    class Params:
        digest = factory.Trait(slug="daily-digest", name="Daily digest", uncertain_policy="resend")
        breaking = factory.Trait(
            slug="breaking-news", name="Breaking news", uncertain_policy="skip"
        )


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@readers.example")
    consent_source = "signup-box"
    consent_ip = "203.0.113.9"


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """Confirmed by default; SubscriptionFactory(unconfirmed=True) / (unsubscribed=True)."""

    class Meta:
        model = Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    list = factory.SubFactory(ListFactory)
    status = Subscription.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        unconfirmed = factory.Trait(status=Subscription.Status.UNCONFIRMED, confirmed_at=None)
        unsubscribed = factory.Trait(
            status=Subscription.Status.UNSUBSCRIBED,
            unsubscribed_at=factory.LazyFunction(timezone.now),
        )


class SuppressionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suppression

    email = factory.Sequence(lambda n: f"gone{n}@readers.example")
    reason = Suppression.Reason.HARD_BOUNCE
    source = "smtp"


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        skip_postgeneration_save = True

    list = factory.SubFactory(ListFactory, digest=True)
    subject = factory.Sequence(lambda n: f"Morning briefing no. {n}")
    intro = "Good morning. Here is what happened overnight."

    @factory.post_generation
    def articles(self, create, extracted, **kwargs):
        """EditionFactory(articles=[article, ...]) in that order."""
        if create and extracted:
            EditionArticle.objects.bulk_create(
                EditionArticle(edition=self, article=article, position=i)
                for i, article in enumerate(extracted)
            )


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    edition = factory.SubFactory(EditionFactory)
    subscriber = factory.SubFactory(SubscriberFactory)


def confirmed_subscribers(lst: List, count: int, *, prefix: str = "reader") -> list[Subscriber]:
    """``count`` confirmed subscribers of ``lst`` in two bulk inserts (large audiences)."""
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(email=f"{prefix}{i:06d}@readers.example", consent_source="import")
        for i in range(count)
    )
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(subscriber=s, list=lst, status=Subscription.Status.CONFIRMED, confirmed_at=now)
        for s in subscribers
    )
    return subscribers
