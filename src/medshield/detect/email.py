"""E-mail addresses; masked forms keep the domain (``z***@163.com``, ``****@qq.com``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from medshield.detect.base import BaseDetector, Finding
from medshield.detect.scan import JoinedColumn, clamp

ELEMENT = "DE02.01.012.00"
PATTERN = re.compile(
    r"(?<![A-Za-z0-9._%+*-])(?P<local>[A-Za-z0-9._%+*-]{1,64})@"
    r"(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})"
    r"(?![A-Za-z0-9-])"
)


class EmailDetector(BaseDetector):
    name: ClassVar[str] = "email"

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        found: list[Finding] = []
        for hit in JoinedColumn(values).hits(PATTERN):
            local, domain = hit.match.group("local"), hit.match.group("domain")
            covered = local.count("*")
            if local.strip("*") == "" and covered == 0:
                continue
            masked = covered >= 2
            if covered and not masked:
                continue
            confidence = clamp(0.9 + (0.05 if hit.whole else 0))
            evidence = f"e-mail at {domain}" + (", local part covered" if masked else "")
            self.add(found, hit, ELEMENT, confidence, masked, evidence)
        return found
