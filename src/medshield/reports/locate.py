"""Where a caller's address is: the registered location of the institution whose CIDR holds it.

Public and unregistered addresses are "unknown": no IP database ships with the platform.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from medshield.policy.schema import Institution


class Locator:
    def __init__(self, institutions: tuple[Institution, ...] | list[Institution]) -> None:
        # as integer ranges: a report looks up every call, ip_network membership is too slow
        self._ranges = [
            (int(net.network_address), int(net.broadcast_address), net.version, inst)
            for inst in institutions
            for net in (ipaddress.ip_network(cidr) for cidr in inst.cidrs)
        ]
        self.locate = lru_cache(maxsize=4096)(self._locate)

    def _locate(self, address: str | None) -> Institution | None:
        if not address:
            return None
        parts = address.split(".")
        if len(parts) == 4 and all(
            p.isdigit() and p == str(int(p)) and int(p) < 256 for p in parts
        ):
            a, b, c, d = (int(p) for p in parts)  # the common case, without ipaddress
            value, version = (a << 24) | (b << 16) | (c << 8) | d, 4
        else:
            try:
                ip = ipaddress.ip_address(address)
            except ValueError:
                return None
            value, version = int(ip), ip.version
        return next(
            (inst for lo, hi, v, inst in self._ranges if v == version and lo <= value <= hi), None
        )


def place(inst: Institution) -> str:
    loc = inst.location
    return f"{loc.province}{loc.city if loc.city != loc.province else ''}{loc.district}"
