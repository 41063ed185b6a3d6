import factory

from webhooks.models import TOPICS, WebhookEndpoint


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    name = factory.Sequence(lambda n: f"Partner {n}")
    url = factory.Sequence(lambda n: f"https://partner{n}.example.com/hooks/newsroom")
    secret = "whsec_test-secret"
    events = factory.LazyFunction(lambda: [topic for topic, _ in TOPICS])
