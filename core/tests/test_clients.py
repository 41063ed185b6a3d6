"""The reader's address behind trusted reverse proxies (TRUSTED_PROXY_COUNT)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from core.clients import TrustedProxyMiddleware, client_ip, forwarded_client_address


@pytest.mark.parametrize(
    ("forwarded", "proxies", "expected"),
    [
        ("", 1, None),  # not through the proxy
        ("198.51.100.2", 0, None),  # no proxy trusted: the header proves nothing
        ("198.51.100.2", 1, "198.51.100.2"),
        ("192.0.2.50, 198.51.100.2", 1, "198.51.100.2"),  # the client wrote the first entry
        ("192.0.2.50, 198.51.100.2", 2, "192.0.2.50"),
        ("198.51.100.2", 2, None),  # fewer entries than proxies: not through all of them
        (" 192.0.2.50 ,  198.51.100.2 ", 1, "198.51.100.2"),
        ("192.0.2.50,,", 1, "192.0.2.50"),
        ("2001:db8::1", 1, "2001:db8::1"),
        ("2001:DB8:0::1", 1, "2001:db8::1"),  # one spelling per address, for the rate limits
        ("192.0.2.50, not-an-address", 1, None),
        ("192.0.2.50, 198.51.100.2:443", 1, None),
        ("192.0.2.50, <script>", 1, None),
    ],
)
def test_forwarded_client_address(forwarded, proxies, expected):
    assert forwarded_client_address({"HTTP_X_FORWARDED_FOR": forwarded}, proxies) == expected


def _through_middleware(**meta):
    seen = {}

    def view(request):
        seen["ip"] = client_ip(request)
        return HttpResponse()

    TrustedProxyMiddleware(view)(RequestFactory().get("/", **meta))
    return seen["ip"]


def test_without_trusted_proxies_the_connection_address_is_the_reader(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert _through_middleware(REMOTE_ADDR="203.0.113.9") == "203.0.113.9"
    assert (
        _through_middleware(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.50")
        == "203.0.113.9"
    )


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_reader(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    headers = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.50, 198.51.100.2"}
    assert _through_middleware(**headers) == "198.51.100.2"
    # A request that did not come through the proxy keeps the connection's address.
    assert _through_middleware(REMOTE_ADDR="10.0.0.2") == "10.0.0.2"
    assert _through_middleware(REMOTE_ADDR="") is None


def test_the_middleware_runs_before_anything_that_reads_the_address():
    """First but for the compression, which only rewrites the response that leaves."""
    from django.conf import settings

    before = settings.MIDDLEWARE[: settings.MIDDLEWARE.index("core.clients.TrustedProxyMiddleware")]
    assert before == ["edgecache.compression.CompressionMiddleware"]
