"""Chinese resident ID numbers (GB 11643): 18 digits with a checksum, and 15-digit legacy ones.

A clean number must have a known region, a real birth date not in the future and, for 18 digits,
a correct check character. A number whose region and birth date are right but whose checksum is
wrong scores 0.3: below the default ``min_confidence`` (0.5), so it is not reported unless the
policy lowers the threshold. Masked forms (``110105********002X``, ``1101**********1234``,
eighteen ``*``) are reported with ``masked=True``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from medshield.detect.base import BaseDetector, Finding
from medshield.detect.regions import province_ok, region_ok
from medshield.detect.scan import JoinedColumn, clamp, label_has

ELEMENT = "DE02.01.030.00"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
LABELS = (
    "身份证",
    "证件号",
    "id_card",
    "idcard",
    "id_no",
    "idno",
    "sfz",
    "zjhm",
    "id_number",
    "identification",
    "citizen",
)
TOKEN = re.compile(r"(?<![0-9A-Za-z*?#])[0-9Xx*?#]{15,18}(?![0-9A-Za-z*?#])")
MASKS = frozenset("*?#")


def check_char(first17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def birth_ok(yyyymmdd: str, today: date) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year and born <= today


def score_clean(token: str, today: date) -> tuple[float, str] | None:
    """(confidence, evidence) of an unmasked 15/18-character token, None when it is no ID."""
    if len(token) == 18 and token[:17].isdigit():
        if not (region_ok(token[:6]) and birth_ok(token[6:14], today)):
            return None
        if check_char(token[:17]) == token[17].upper():
            return 0.97, f"ID checksum ok, region {token[:6]}"
        return 0.3, f"ID checksum mismatch, region {token[:6]}"
    if len(token) == 15 and token.isdigit():
        if region_ok(token[:6]) and birth_ok("19" + token[6:12], today):
            return 0.8, f"15-digit legacy ID, region {token[:6]}"
    return None


def score_masked(token: str) -> tuple[float, str] | None:
    """A token of 15/18 characters with at least four covered positions."""
    body = token[:-1] if len(token) == 18 else token  # an 18th X is a check value, not a mask
    covered = sum(1 for c in body if c in MASKS or c in "Xx") + (
        body != token and token[-1] in MASKS
    )
    if covered < 4:
        return None
    prefix = token[: len(token) - len(token.lstrip("0123456789"))]
    if (len(prefix) >= 2 and not province_ok(prefix)) or prefix[:1] in ("0", "9"):
        return None
    kept = f"region prefix {prefix[:6]} kept" if prefix else "fully covered"
    confidence = 0.9 if prefix else 0.6
    return confidence, f"masked ID, {covered} of {len(token)} covered, {kept}"


class ChineseIdDetector(BaseDetector):
    name: ClassVar[str] = "cn_id"

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        today = date.today()
        hinted = label_has(label, LABELS)
        found: list[Finding] = []
        for hit in JoinedColumn(values).hits(TOKEN):
            token = hit.match.group(0)
            if len(token) not in (15, 18):
                continue
            clean = score_clean(token, today)
            masked = False if clean else True
            scored = clean or score_masked(token)
            if scored is None:
                continue
            confidence, evidence = scored
            confidence = clamp(confidence + (0.02 if hit.whole else 0) + (0.05 if hinted else 0))
            self.add(found, hit, ELEMENT, confidence, masked, evidence)
        return found
