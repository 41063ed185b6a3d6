"""A stand-in for DNS (the outside world) and a guard that keeps test traffic on this machine.

``FakeDNS`` answers for the names a test gives it, and may change its answer between two
look-ups of the same name, as a rebinding attacker's DNS server does. ``ConnectionGuard``
records every TCP connection attempt and lets only loopback ones through: a test may name a
public address without any packet ever going to it.
"""

import ipaddress
import socket


class FakeDNS:
    def __init__(self, monkeypatch):
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []
        real = socket.getaddrinfo

        def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
            name = host.decode() if isinstance(host, bytes) else str(host)
            try:
                ipaddress.ip_address(name.split("%", 1)[0])
            except ValueError:
                return self._answer(name.lower().rstrip("."), port)
            return real(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    def add(self, name: str, *answers: list[str]) -> None:
        """Answer ``name`` with each list of addresses in turn; the last one is kept."""
        self.answers[name] = [list(a) for a in answers]

    def _answer(self, name: str, port):
        self.lookups.append(name)
        queue = self.answers.get(name)
        if not queue:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        infos = []
        for address in addresses:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (
                (address, int(port or 0), 0, 0) if ":" in address else (address, int(port or 0))
            )
            infos.append((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr))
        return infos


class ConnectionGuard:
    def __init__(self, monkeypatch):
        self.attempts: list[str] = []
        real_connect = socket.socket.connect

        def connect(sock, address):
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                host = address[0]
                self.attempts.append(host)
                if not ipaddress.ip_address(host.split("%", 1)[0]).is_loopback:
                    raise ConnectionRefusedError(f"test network: {host} is not reachable")
            return real_connect(sock, address)

        monkeypatch.setattr(socket.socket, "connect", connect)
