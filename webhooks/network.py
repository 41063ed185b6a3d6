"""Where webhooks may go. An endpoint URL is typed by an editor, but a request from our servers
to an internal address (the metadata service, a database, localhost) must never be possible,
so every destination is resolved and checked before each request."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class DestinationRefused(Exception):
    pass


def check_destination(url: str) -> None:
    """Raise DestinationRefused unless ``url`` is http(s) to a public address.

    WEBHOOK_ALLOW_PRIVATE_NETWORKS=true lifts the address check (development, tests, or
    receivers on the newsroom's own network).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DestinationRefused("Only http:// and https:// URLs can receive webhooks.")
    if settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise DestinationRefused(f"Cannot resolve {parts.hostname}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global:
            raise DestinationRefused(
                f"{parts.hostname} resolves to a private or reserved address ({address}); "
                "webhooks only go to public addresses."
            )
