"""Where webhooks may go: the destination rule at save time and at delivery, and a connection
that goes to the address that was checked (DNS rebinding), with TLS still checked on the name."""

import ssl

import pytest
import trustme
from django.urls import reverse

from articles.services.workflow import article_publish
from articles.tests.factories import ArticleFactory
from authors.tests.factories import UserFactory
from outbox.models import Event
from outbox.services import event_process
from webhooks import network, services
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

from .factories import WebhookEndpointFactory
from .receiver import Receiver

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.215.14"  # a public address: the guard makes sure nothing is sent to it


@pytest.fixture
def private_networks_refused(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False


def deliver_one(endpoint) -> WebhookDelivery:
    editor = UserFactory(editor=True)
    article_publish(user=editor, article=ArticleFactory())
    event = Event.objects.filter(topic="article.published").latest("pk")
    assert event_process(event_id=event.pk) == "processed"
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    services.delivery_attempt(delivery_id=delivery.pk)
    return delivery


# ---------------------------------------------------------------------------
# The address rule
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1",  # noqa: S104 "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "64:ff9b::a00:1", "64:ff9b::7f00:1", "2002:7f00:1::1", "ff02::1",
    ],
)  # fmt: skip
def test_private_and_reserved_addresses_are_not_public(address):
    assert not network.is_public(address)


@pytest.mark.parametrize("address", [PUBLIC, "2606:4700::1111", "64:ff9b::5db8:d70e"])
def test_public_addresses_are_public(address):
    assert network.is_public(address)


def test_a_name_with_one_private_address_among_public_ones_is_refused(
    dns, private_networks_refused
):
    dns.add("mixed.example", [PUBLIC, "10.0.0.5"])
    with pytest.raises(network.DestinationRefused, match="private or reserved"):
        network.check_destination("https://mixed.example/hook")


@pytest.mark.parametrize(
    "url", ["ftp://partner.example/x", "file:///etc/passwd", "https:///nohost", "http://[::1"]
)
def test_only_http_urls_with_a_host_are_destinations(url):
    with pytest.raises(network.DestinationRefused):
        network.check_destination(url)


# ---------------------------------------------------------------------------
# DNS rebinding: the connection goes to the address that was checked
# ---------------------------------------------------------------------------
def test_a_rebinding_name_cannot_reach_a_loopback_listener(dns, guard, private_networks_refused):
    with Receiver() as receiver:
        # The attacker's DNS answers a public address to the check, then loopback.
        dns.add("rebind.example", [PUBLIC], ["127.0.0.1"])
        endpoint = WebhookEndpointFactory(url=f"http://rebind.example:{receiver.port}/hooks")
        delivery = deliver_one(endpoint)

    assert receiver.requests == []
    assert dns.lookups == ["rebind.example"]  # resolved once, for the check
    assert guard.attempts == [PUBLIC]  # and the connection went to the checked address
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "not reachable" in WebhookAttempt.objects.get().error


def test_a_name_that_turns_private_later_is_refused_before_connecting(
    dns, guard, private_networks_refused
):
    dns.add("turns.example", ["127.0.0.1"])
    with Receiver() as receiver:
        endpoint = WebhookEndpointFactory(url=f"http://turns.example:{receiver.port}/hooks")
        deliver_one(endpoint)
    assert receiver.requests == [] and guard.attempts == []
    assert "private or reserved address (127.0.0.1)" in WebhookAttempt.objects.get().error


@pytest.fixture
def tls_authority(settings, tmp_path):
    authority = trustme.CA()
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(bundle)
    settings.WEBHOOK_CA_BUNDLE = str(bundle)
    return authority


def tls_server_context(authority, *names: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(*names).configure_cert(context)
    return context


def test_tls_checks_the_certificate_against_the_name_not_the_pinned_address(
    dns, guard, tls_authority
):
    # Private networks allowed (the receiver is on this machine), so the name may resolve to
    # loopback; the connection still goes to the resolved address and TLS speaks to the name.
    dns.add("hooks.example", ["127.0.0.1"])
    context = tls_server_context(tls_authority, "hooks.example")
    with Receiver(ssl_context=context, host="hooks.example") as receiver:
        endpoint = WebhookEndpointFactory(url=receiver.url)
        delivery = deliver_one(endpoint)

    delivery.refresh_from_db()
    assert delivery.status == "succeeded", WebhookAttempt.objects.get().error
    (request,) = receiver.requests
    assert receiver.server_names == ["hooks.example"]  # SNI carries the name
    assert request["headers"]["Host"] == f"hooks.example:{receiver.port}"
    assert guard.attempts == ["127.0.0.1"]


def test_a_certificate_for_another_name_is_refused(dns, guard, tls_authority):
    dns.add("hooks.example", ["127.0.0.1"])
    context = tls_server_context(tls_authority, "other.example")
    with Receiver(ssl_context=context, host="hooks.example") as receiver:
        endpoint = WebhookEndpointFactory(url=receiver.url)
        delivery = deliver_one(endpoint)

    assert receiver.requests == []
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert "certificate" in WebhookAttempt.objects.get().error.lower()


# ---------------------------------------------------------------------------
# Saving an endpoint
# ---------------------------------------------------------------------------
def add_endpoint(client, url: str):
    return client.post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {"name": "Partner", "url": url, "events": ["article.published"], "is_active": "on"},
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8000/",
        "http://[::ffff:10.0.0.1]/",
        "https://intranet.example/hooks",
    ],
)
def test_the_admin_refuses_a_private_destination_when_it_is_saved(
    client, dns, private_networks_refused, url
):
    dns.add("intranet.example", ["10.20.30.40"])
    client.force_login(UserFactory(editor=True))
    response = add_endpoint(client, url)
    assert response.status_code == 200
    assert "private or reserved address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_admin_refuses_a_name_that_does_not_resolve(client, dns, private_networks_refused):
    client.force_login(UserFactory(editor=True))
    response = add_endpoint(client, "https://nowhere.example/hooks")
    assert response.status_code == 200
    assert "Cannot resolve nowhere.example" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_admin_saves_a_public_destination(client, dns, private_networks_refused):
    dns.add("partner.example", [PUBLIC, "2606:4700::1111"])
    client.force_login(UserFactory(editor=True))
    response = add_endpoint(client, "https://partner.example/hooks")
    assert response.status_code == 302
    assert WebhookEndpoint.objects.get().url == "https://partner.example/hooks"


def test_the_service_refuses_a_private_destination(dns, private_networks_refused):
    endpoint = WebhookEndpointFactory.build(url="http://10.0.0.8/hooks")
    with pytest.raises(network.DestinationRefused):
        services.endpoint_save(user=UserFactory(editor=True), endpoint=endpoint)
    assert not WebhookEndpoint.objects.exists()
