"""IPv4 and IPv6 addresses, checked by the standard library parser.

Masked forms cover whole octets or groups: ``192.168.*.*``, ``10.2.***.15``, ``2001:db8:*:*``.
Version-like strings (``1.2.3``) have too few parts and are not matched.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from typing import ClassVar

from medshield.detect.base import BaseDetector, Finding
from medshield.detect.scan import Hit, JoinedColumn, clamp

ELEMENT = "DE02.01.065.00"
OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d|\*{1,3})"
V4 = re.compile(rf"(?<![0-9A-Za-z.*])(?:{OCTET}\.){{3}}{OCTET}(?![0-9A-Za-z*]|\.\d)")
V6 = re.compile(r"(?<![0-9A-Za-z:*])(?:[0-9A-Fa-f*]{0,4}:){2,7}[0-9A-Fa-f*]{0,4}(?![0-9A-Za-z:*])")


class IpAddressDetector(BaseDetector):
    name: ClassVar[str] = "ip_address"

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        column = JoinedColumn(values)
        found: list[Finding] = []
        for hit in column.hits(V4):
            text = hit.match.group(0)
            covered = sum(1 for part in text.split(".") if "*" in part)
            if covered == 4:
                continue
            kind = "IPv4" if not covered else f"masked IPv4, {covered} octets covered"
            self._add(found, hit, covered > 0, kind)
        for hit in column.hits(V6):
            text = hit.match.group(0)
            covered = text.count("*")
            if covered:
                if text.count(":") < 3 or not re.search(r"[0-9A-Fa-f]", text):
                    continue
            else:
                try:
                    ipaddress.IPv6Address(text)
                except ValueError:
                    continue
                if text.count(":") < 3 and "::" not in text:
                    continue
            kind = "IPv6" if not covered else "masked IPv6"
            self._add(found, hit, covered > 0, kind)
        return found

    def _add(self, found: list[Finding], hit: Hit, masked: bool, kind: str) -> None:
        self.add(found, hit, ELEMENT, clamp(0.85 + (0.1 if hit.whole else 0)), masked, kind)
