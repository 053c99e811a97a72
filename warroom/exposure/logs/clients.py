"""Who a request came from, and whether a user agent is a crawler.

The real client: when the direct peer is a proxy or load balancer of the site's own (an
address in a private range: 10/8, 172.16/12, 192.168/16, 127/8, fc00::/7, or in a range
the caller trusts), it is the first address of X-Forwarded-For, the one the first proxy
saw; otherwise it is the peer, and an X-Forwarded-For it sent is only kept (anyone can
write one). A port (`192.0.2.1:51234`, `[2001:db8::1]:443`) is never part of a client.

Bots: the `crawlerdetect` list (search engines, archives, monitors, and the scripted tools it
names: Wget, curl, python-requests…), each distinct user agent classified once. An empty
user agent is not a bot: browsers always send one, so a request without one came from a
script someone ran on purpose, a downloader to follow up like any other.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from warroom.errors import WarroomError
from warroom.exposure.logs.hit import Hit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

PRIVATE = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "fc00::/7", "::1/128"))


class BadNetwork(WarroomError):
    """A trusted-proxy range that is not a CIDR."""


def networks(cidrs: Iterable[str]) -> tuple[Network, ...]:
    found = []
    for cidr in cidrs:
        try:
            found.append(ipaddress.ip_network(str(cidr).strip(), strict=False))
        except ValueError as exc:
            raise BadNetwork(f"--trusted-proxy {cidr!r} is not an address range ({exc})") from exc
    return tuple(found)


@lru_cache(maxsize=65536)
def address(text: str) -> Address | None:
    """The address in a peer or X-Forwarded-For entry, without port or brackets."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        found = ipaddress.ip_address(text.partition("%")[0])
    except ValueError:
        return None
    mapped = getattr(found, "ipv4_mapped", None)
    return mapped or found


class Resolver:
    """Puts the real client in each hit (see the module's rule)."""

    def __init__(self, trusted: Iterable[str] = ()) -> None:
        self.proxies = PRIVATE + networks(trusted)
        self._proxy: dict[str, bool] = {}

    def is_proxy(self, peer: str) -> bool:
        known = self._proxy.get(peer)
        if known is None:
            ip = address(peer)
            known = self._proxy[peer] = ip is not None and any(
                ip.version == n.version and ip in n for n in self.proxies)
        return known

    def resolve(self, hit: Hit) -> Hit:
        peer = address(hit.peer or hit.client)
        hit.peer = str(peer) if peer else (hit.peer or hit.client)
        hit.client = hit.peer
        if hit.forwarded_for and self.is_proxy(hit.peer):
            for entry in hit.forwarded_for:
                ip = address(entry)
                if ip is not None:
                    hit.client = str(ip)
                    break
        return hit


class Bots:
    """crawlerdetect with one instance and one verdict a distinct user agent."""

    def __init__(self) -> None:
        from crawlerdetect import CrawlerDetect  # its big pattern compiles on first use

        self._detect = CrawlerDetect()
        self._seen: dict[str, bool] = {}

    def __call__(self, agent: str) -> bool:
        verdict = self._seen.get(agent)
        if verdict is None:
            text = agent.strip()
            verdict = self._seen[agent] = bool(text and text != "-"
                                               and self._detect.is_crawler(text))
        return verdict
