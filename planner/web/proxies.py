"""The client's address behind a reverse proxy: X-Forwarded-For is believed only from a trusted proxy.

PLANNER_TRUSTED_PROXIES lists the addresses or networks of the reverse proxies, comma-separated
(`127.0.0.1`, `10.0.0.0/8, ::1`). When a request comes from one of them, the client is the
right-most address in X-Forwarded-For that is not itself a trusted proxy; Werkzeug's ProxyFix
then puts it in REMOTE_ADDR with that many hops. A request from anywhere else keeps the address
of its connection, whatever X-Forwarded-For it sends, so nobody can choose the address that
the login delays are counted for. Without the setting no header is believed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from werkzeug.middleware.proxy_fix import ProxyFix


def parse_networks(values: Iterable[str]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"PLANNER_TRUSTED_PROXIES: {value!r} is not an IP address or network") from None
    return tuple(networks)


class TrustedProxies:
    """WSGI middleware: the real client address for requests that come through a trusted proxy."""

    def __init__(self, app, networks):
        self.app = app
        self.networks = tuple(networks)
        self.fixes: dict[int, ProxyFix] = {}

    def trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def __call__(self, environ, start_response):
        if not self.networks or not self.trusted(environ.get("REMOTE_ADDR", "")):
            return self.app(environ, start_response)
        forwarded = [a.strip() for a in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        hops = 1
        while hops < len(forwarded) and self.trusted(forwarded[-hops]):
            hops += 1
        if hops not in self.fixes:
            # the proxy that terminates TLS says so in X-Forwarded-Proto (the API answers only over https)
            self.fixes[hops] = ProxyFix(self.app, x_for=hops, x_proto=1, x_host=0, x_port=0, x_prefix=0)
        return self.fixes[hops](environ, start_response)
