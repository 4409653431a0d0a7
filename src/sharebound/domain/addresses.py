"""Which network addresses a webhook may reach: the public internet only, unless allowed.

Pure: the caller resolves the host (adapters/webhooks.py `resolve`) and gives the answers
here. A host is refused when any address it resolves to is loopback, private, link-local,
multicast, reserved, unspecified or otherwise not globally routable, unless the operator's
allow list (SHAREBOUND_WEBHOOK_ALLOW) names the host or a range holding that address.

Odd spellings of an address are read the way the C library reads them (`127.1`,
`0x7f000001`, `2130706433`, `0177.0.0.1`), and an IPv6 address carrying an IPv4 one
(`::ffff:127.0.0.1`, 6to4, NAT64) is judged by the IPv4 address inside.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


@dataclass(frozen=True, slots=True)
class AllowList:
    """Hosts (`hooks.corp`, or `*.corp` for every name under corp) and ranges (CIDR or one address)."""

    hosts: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()  # from `*.corp`: names ending in `.corp`
    networks: tuple[Network, ...] = field(default=())

    def allows_host(self, host: str) -> bool:
        name = normalize_host(host)
        return name in self.hosts or any(name.endswith("." + d) for d in self.domains)

    def allows_address(self, address: Address) -> bool:
        candidates = {address, _embedded(address)}
        return any(a is not None and a.version == n.version and a in n
                   for a in candidates for n in self.networks)


def parse_allow_list(text: str) -> AllowList:
    """`"hooks.corp, *.lab.corp, 10.1.0.0/16, ::1"`; raises ValueError naming a bad entry."""
    hosts: set[str] = set()
    domains: set[str] = set()
    networks: list[Network] = []
    for raw in text.split(","):
        entry = raw.strip()
        if not entry:
            continue
        literal = entry.strip("[]")
        try:
            networks.append(ipaddress.ip_network(literal, strict=False))
            continue
        except ValueError:
            pass
        name = normalize_host(entry)
        wildcard = name.startswith("*.")
        label = name[2:] if wildcard else name
        if not label or not all(part and _is_label(part) for part in label.split(".")):
            raise ValueError(f"{entry!r} is neither a host name, a *.domain, an address nor a CIDR range")
        (domains if wildcard else hosts).add(label)
    return AllowList(frozenset(hosts), frozenset(domains), tuple(networks))


def _is_label(part: str) -> bool:
    return len(part) <= 63 and all(c.isalnum() or c == "-" for c in part)  # why 63: RFC 1035


def normalize_host(host: str) -> str:
    """Lower case, without brackets or trailing dots: `[::1]` → `::1`, `Hooks.Corp.` → `hooks.corp`."""
    return host.strip().lower().strip("[]").rstrip(".")


def literal_address(host: str) -> Address | None:
    """The address `host` spells, in any form the C library accepts, or None for a name."""
    name = normalize_host(host)
    try:
        return ipaddress.ip_address(name.partition("%")[0])  # why partition: `fe80::1%eth0`
    except ValueError:
        pass
    return _legacy_ipv4(name)


def _legacy_ipv4(name: str) -> ipaddress.IPv4Address | None:
    """inet_aton's forms: 1 to 4 parts, each decimal, 0x-hex or 0-octal; the last fills the rest."""
    parts = name.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers: list[int] = []
    for part in parts:
        try:
            if part.startswith(("0x", "0X")):
                numbers.append(int(part[2:], 16))
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part[1:], 8))
            else:
                numbers.append(int(part, 10) if part.isdigit() else -1)
        except ValueError:
            return None
    if any(n < 0 for n in numbers) or any(n > 255 for n in numbers[:-1]):
        return None
    rest_bits = 8 * (5 - len(numbers))  # why: the last part fills every byte not yet given
    if numbers[-1] >= 1 << rest_bits:
        return None
    value = numbers[-1]
    for i, n in enumerate(numbers[:-1]):
        value |= n << (24 - 8 * i)
    return ipaddress.IPv4Address(value)


def _embedded(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, 6to4 or NAT64 IPv6 address."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_kind(address: Address) -> str | None:
    """Why `address` is not on the public internet (`loopback`, `private`, ...), or None."""
    inner = _embedded(address)
    if inner is not None:
        return address_kind(inner)
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_reserved:  # why before private: Python counts 240.0.0.0/4 as private too
        return "reserved"
    if address.is_private:
        return "private"
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return "private"  # why: fec0::/10, deprecated site-local, which Python 3.11 calls global
    if isinstance(address, ipaddress.IPv6Address) and address.teredo is not None:
        return "reserved"  # why: Teredo tunnels to an IPv4 address we cannot see from here
    if not address.is_global:
        return "reserved"  # e.g. shared address space 100.64.0.0/10, benchmarking 198.18.0.0/15
    return None


def check_addresses(host: str, addresses: Iterable[str], allow: AllowList) -> str | None:
    """None when a webhook may reach `host` at every one of `addresses`; else the reason.

    Every address must pass: a name that resolves to a public and a private address could be
    answered by either."""
    if allow.allows_host(host):
        return None
    seen = [literal_address(a) for a in addresses]
    if not seen:
        return "does not resolve to any address"
    for address in seen:
        if address is None:
            return "resolves to something that is not an address"
        kind = address_kind(address)
        if kind is not None and not allow.allows_address(address):
            # why no address in the text: it would tell an admin how internal names resolve
            return (f"reaches a {kind} address; webhooks go to the public internet only, "
                    "unless the operator allows the host (SHAREBOUND_WEBHOOK_ALLOW)")
    return None


def parse_trusted(text: str) -> list[str]:
    """`"10.0.0.2, 10.1.0.0/16, ::1"` as normalized addresses and ranges; ValueError names a bad one."""
    found: list[str] = []
    for raw in text.split(","):
        entry = raw.strip().strip("[]")
        if not entry:
            continue
        try:
            found.append(str(ipaddress.ip_network(entry, strict=False)) if "/" in entry
                         else str(ipaddress.ip_address(entry)))
        except ValueError:
            raise ValueError(f"{raw.strip()!r} is neither an address nor a CIDR range") from None
    return found
