"""Where a caller's address is: the registered location of the institution whose CIDR holds it.

Public and unregistered addresses are "unknown": no IP database ships with the platform.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from medshield.policy.schema import Institution


class Locator:
    def __init__(self, institutions: tuple[Institution, ...] | list[Institution]) -> None:
        self._networks = [
            (ipaddress.ip_network(cidr), inst) for inst in institutions for cidr in inst.cidrs
        ]
        self.locate = lru_cache(maxsize=65536)(self._locate)

    def _locate(self, address: str | None) -> Institution | None:
        if not address:
            return None
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return None
        return next((inst for net, inst in self._networks if ip in net), None)


def place(inst: Institution) -> str:
    loc = inst.location
    return f"{loc.province}{loc.city if loc.city != loc.province else ''}{loc.district}"
