"""What sampled values say against a name, and for a record number a name does not give.

A name or comment that says identifier, over values that contradict it, is not that identifier:
short category codes (1-3 characters, repeated), a handful of distinct values in many rows, or
values of the wrong shape (an ID number without digits, a phone number with letters, a name of
digits). The values
veto, and the reason goes into the evidence.

A column whose values look like record numbers (one prefix and a serial, ZY20230001, or digit
strings of one width), unique in a patient or visit table, is a record-number candidate even
when its name says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from medshield.detect.record_number import ELEMENTS, serial_shape

MIN_ROWS = 8  # fewer sampled values say nothing against a name
FEW_ROWS = 20  # a handful of distinct values means something only in this many rows
HANDFUL = 5
SHORT = 3
# Identifiers written with digits: most values carry at least this many (masks count).
DIGIT_IDS = frozenset(
    {
        "DE02.01.030.00", "DE02.01.010.00", "DE02.01.010.01", "DE02.01.010.02",
        "DE02.01.066.00", "DE01.00.017.00", "DE01.00.016.00",
    }
)  # fmt: skip
MIN_DIGITS = 6
PERSON_NAMES = frozenset({"DE02.01.039.00", "DE02.01.039.01", "DE02.01.039.02"})
MAIL = "DE02.01.012.00"
_CODE = re.compile(r"[0-9A-Za-z]{1,3}")
_INTEGER = re.compile(r"[1-9][0-9]*")
KEY_FAMILY = "DE01.00."
_DIGITS = re.compile(r"[0-9*#]")
PHONES = "DE02.01.010."
_PHONE = re.compile(r"\+?[0-9*#()\s/,;，、-]{7,40}")
CANDIDATE_STRENGTH = 0.5  # a candidate for review, not a certainty
PREFIX_KINDS = {
    "ZY": "inpatient",
    "IP": "inpatient",
    "MZ": "outpatient",
    "OP": "outpatient",
    "BA": "medical_record",
    "BL": "medical_record",
    "MR": "medical_record",
    "DA": "health_record",
    "JK": "health_record",
}
TABLE_KINDS = (
    ("inpatient", ("zy", "inpatient", "住院")),
    ("outpatient", ("mz", "outpatient", "clinic", "门诊")),
)


def veto(element: str, values: Sequence[str], *, direct: bool) -> str | None:
    """Why the values contradict ``element`` (named by a name or comment), or None. Keys of a
    record (``DE01``: patient and record numbers) repeat in a child table and may be small
    integers: for them only lettered or zero-padded short codes veto."""
    present = [v.strip() for v in values if v is not None and v.strip()]
    if not direct or len(present) < MIN_ROWS:
        return None
    distinct = set(present)
    key = element.startswith(KEY_FAMILY)
    short = all(_CODE.fullmatch(v) for v in present) and len(distinct) * 2 <= len(present)
    if short and (not key or not all(_INTEGER.fullmatch(v) for v in distinct)):
        return f"values are short codes (1-{SHORT} characters), {len(distinct)} distinct"
    if not key and len(present) >= FEW_ROWS and len(distinct) <= HANDFUL:
        return f"{len(distinct)} distinct values in {len(present)} rows"
    if element in DIGIT_IDS and _share(present, _digit_like) < 0.5:
        return f"values have fewer than {MIN_DIGITS} digits"
    if element.startswith(PHONES) and _share(present, _phone_like) < 0.5:
        return "values are not phone numbers (digits and separators only)"
    if element in PERSON_NAMES and _share(present, str.isdigit) > 0.5:
        return "values are numbers, not names"
    if element == MAIL and not any("@" in v for v in present):
        return "no value has an @"
    return None


def record_candidate(
    values: Sequence[str], ctx: frozenset[str], table: str, comment: str | None
) -> tuple[str, str] | None:
    """(element, reason) when unique values shaped like record numbers fill a patient or visit
    table's column; the prefix or the table says which number."""
    if not ctx & {"patient", "visit"} or "reference" in ctx:
        return None
    present = [v.strip() for v in values if v is not None and v.strip()]
    if len(present) < MIN_ROWS or len(set(present)) < len(present):
        return None
    shape = serial_shape(present)
    if shape is None:
        return None
    kind = PREFIX_KINDS.get(shape.removeprefix("prefix ")[:2]) if shape.startswith("p") else None
    where = f"{table} {comment or ''}".lower()
    for table_kind, words in TABLE_KINDS:
        if kind is None and any(w in where for w in words):
            kind = table_kind
    kind = kind or "medical_record"
    return ELEMENTS[kind], f"unique values, {shape}: {kind} number candidate"


def _digit_like(value: str) -> bool:
    return len(_DIGITS.findall(value)) >= MIN_DIGITS


def _phone_like(value: str) -> bool:
    return bool(_PHONE.fullmatch(value)) and len(_DIGITS.findall(value)) >= MIN_DIGITS


def _share(values: list[str], test: Callable[[str], bool]) -> float:
    return sum(1 for v in values if test(v)) / len(values)
