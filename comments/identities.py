"""Who wrote or reported a comment, remembered without being readable: keyed hashes of email
addresses and IP networks (IPv6 per /64), for bans, duplicate checks and rate limits."""

from core.clients import client_network, keyed_hash


def _hash(kind: str, value: str) -> str:
    return keyed_hash(f"newsroom.comments.{kind}", value)


def email_hash(email: str) -> str:
    return _hash("email", email.strip().lower())


def ip_hash(ip: str | None) -> str:
    """The hash of the network ``ip`` belongs to; "" when there is no address."""
    network = client_network(ip)
    return _hash("ip", network) if network else ""
