"""Chinese resident ID numbers (GB 11643): 18 digits with a checksum, and 15-digit legacy ones.

A clean number must have a known region, a real birth date not in the future and, for 18 digits,
a correct check character. A number whose region and birth date are right but whose checksum is
wrong scores 0.3: below the default ``min_confidence`` (0.5), so it is not reported unless the
policy lowers the threshold. In free text (``find_in_text``) such a number scores 0.6 and is
reported: people mistype IDs, and a mistyped ID still identifies its holder; a number whose
region is unknown but whose first two digits name a province and whose birth date is real scores
0.55 there (0.7 with a right check character). Masked forms (``110105********002X``, ``1101**********1234``,
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


# (checksum ok, checksum wrong) confidences, in a column and in free text
MISMATCH = {False: 0.3, True: 0.6}
PROVINCE_ONLY = {False: None, True: (0.7, 0.55)}


def score_clean(token: str, today: date, *, in_text: bool = False) -> tuple[float, str] | None:
    """(confidence, evidence) of an unmasked 15/18-character token, None when it is no ID.
    ``in_text``: the token stands in free text, where an ID-shaped number with a wrong check
    character or an unknown region of a known province is still reported."""
    if len(token) == 18 and token[:17].isdigit():
        if not birth_ok(token[6:14], today):
            return None
        checked = check_char(token[:17]) == token[17].upper()
        if region_ok(token[:6]):
            if checked:
                return 0.97, f"ID checksum ok, region {token[:6]}"
            return MISMATCH[in_text], f"ID checksum mismatch, region {token[:6]}"
        loose = PROVINCE_ONLY[in_text]
        if loose and province_ok(token[:2]):
            state = "ok" if checked else "mismatch"
            return loose[0 if checked else 1], f"ID-shaped, checksum {state}, province {token[:2]}"
        return None
    if len(token) == 15 and token.isdigit():
        if not birth_ok("19" + token[6:12], today):
            return None
        if region_ok(token[:6]):
            return 0.8, f"15-digit legacy ID, region {token[:6]}"
        if in_text and province_ok(token[:2]):
            return 0.55, f"15-digit legacy ID-shaped, province {token[:2]}"
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
        return self._scan(values, label, in_text=False)

    def find_in_text(self, text: str) -> list[Finding]:
        return self._scan([text], None, in_text=True)

    def _scan(
        self, values: Sequence[str | None], label: str | None, *, in_text: bool
    ) -> list[Finding]:
        today = date.today()
        hinted = label_has(label, LABELS)
        found: list[Finding] = []
        for hit in JoinedColumn(values).hits(TOKEN):
            token = hit.match.group(0)
            if len(token) not in (15, 18):
                continue
            clean = score_clean(token, today, in_text=in_text)
            masked = False if clean else True
            scored = clean or score_masked(token)
            if scored is None:
                continue
            confidence, evidence = scored
            confidence = clamp(confidence + (0.02 if hit.whole else 0) + (0.05 if hinted else 0))
            self.add(found, hit, ELEMENT, confidence, masked, evidence)
        return found
