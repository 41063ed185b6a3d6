"""Where webhooks may go, and how they get there.

An endpoint URL is typed by an editor, but a request from our servers to an internal address
(the cloud metadata service, a database, localhost) must never be possible. The rule is checked
twice: when an endpoint is saved (so an editor learns at once that a URL cannot work) and on
every delivery (a name's addresses change). On delivery the name is resolved once, every address
is checked, and the connection goes to a checked address: the HTTP client never resolves the
name again, so a DNS answer that changes between the check and the connection (DNS rebinding)
cannot reach the internal network. TLS still checks the certificate against the host name
(SNI and hostname verification), and the Host header carries the name.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter

from core.errors import InvalidInput

# NAT64's well-known prefix (RFC 6052) embeds an IPv4 address in its last 32 bits.
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")


class DestinationRefused(InvalidInput):
    """The URL may not receive webhooks; the message says why, for the editor."""

    def __init__(self, message: str):
        super().__init__(message, errors={"url": [message]})


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...]


def resolve(host: str, port: int) -> list[str]:
    """The addresses a name resolves to, in the resolver's order (the one place DNS is asked)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    addresses: list[str] = []
    for info in infos:
        address = info[4][0].split("%", 1)[0]
        if address not in addresses:
            addresses.append(address)
    return addresses


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, NAT64), if any."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (and not one that wraps a private one)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return embedded.is_global and not embedded.is_multicast
    return ip.is_global and not ip.is_multicast


def _parse(url: str) -> tuple[str, str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise DestinationRefused(f"Not a valid URL: {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DestinationRefused("Only http:// and https:// URLs can receive webhooks.")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def check_destination(url: str) -> Destination:
    """Resolve ``url``'s host and return where to connect; DestinationRefused unless it is http(s)
    and every address it resolves to is public.

    WEBHOOK_ALLOW_PRIVATE_NETWORKS=true lifts the address rule (development, tests, receivers on
    the newsroom's own network); the connection still goes to the address resolved here.
    """
    scheme, host, port = _parse(url)
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise DestinationRefused(f"Cannot resolve {host}: {exc}") from exc
    if not addresses:
        raise DestinationRefused(f"Cannot resolve {host}: no addresses.")
    if not settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        for address in addresses:
            if not is_public(address):
                raise DestinationRefused(
                    f"{host} resolves to a private or reserved address ({address}); "
                    "webhooks only go to public addresses."
                )
    return Destination(scheme=scheme, host=host, port=port, addresses=tuple(addresses))


class CheckedDestinationAdapter(HTTPAdapter):
    """Checks the destination when the connection is made, and connects to a checked address.

    The URL keeps its host name, so the Host header, TLS SNI and certificate verification all
    use the name; only the TCP connection goes to the address ``check_destination`` resolved and
    approved. Uses the subclassing hooks requests documents for HTTPAdapter
    (get_connection_with_tls_context, add_headers).
    """

    def __init__(self):
        super().__init__(max_retries=0)

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        destination = check_destination(request.url)
        _, pool_kwargs = self.build_connection_pool_key_attributes(request, verify, cert)
        if destination.scheme == "https":
            pool_kwargs = {
                **pool_kwargs,
                "server_hostname": destination.host,
                "assert_hostname": destination.host,
            }
        return self.poolmanager.connection_from_host(
            host=destination.addresses[0],
            port=destination.port,
            scheme=destination.scheme,
            pool_kwargs=pool_kwargs,
        )

    def add_headers(self, request, **kwargs):
        netloc = urlsplit(request.url).netloc.rpartition("@")[2]
        request.headers.setdefault("Host", netloc)


def post(url: str, **kwargs) -> requests.Response:
    """POST to a checked destination: no redirects, no proxies from the environment (a proxy
    would resolve the name itself), the connection pinned to the checked address."""
    with requests.Session() as session:
        session.trust_env = False
        adapter = CheckedDestinationAdapter()
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session.post(url, allow_redirects=False, **kwargs)
