"""Network ranges in the policy: institutions' CIDRs, trusted proxies, the servers' own ranges."""

from __future__ import annotations

import ipaddress


def valid_cidrs(value: tuple[str, ...]) -> tuple[str, ...]:
    """``value`` unchanged when every item is a network in CIDR form; ``ValueError`` otherwise."""
    for cidr in value:
        try:
            ipaddress.ip_network(cidr, strict=True)
        except ValueError as exc:
            raise ValueError(f"invalid CIDR {cidr!r}: {exc}") from None
    return value
