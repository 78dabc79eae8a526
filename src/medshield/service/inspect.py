"""Response checks before release (R25), failing closed: every record belongs to the patient of
the request and carries the API's fields, and no identifier the plan should have masked is left
in the body (the detectors scan every text value)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from medshield.detect import detect_all
from medshield.errors import ResponseBlockedError
from medshield.service.sources import MISSING, SourceRows

IDENTIFIER_DETECTORS = ("cn_id", "mobile", "bank_card")
DIGIT_RUN = re.compile(r"(?:\d[\s-]?){10}\d")
DIGIT_RUN_MIN = 11  # the fewest characters a DIGIT_RUN match takes
# With its separators dropped a DIGIT_RUN match is eleven digits in a row: searching for that
# reads digit-dense text (dates) in one pass, where DIGIT_RUN retries at every digit.
SEPARATORS = re.compile(r"[\s-]+")
ELEVEN_DIGITS = re.compile(r"\d{11}")


# Reading UTF-8 JSON as digits ("0") and the rest, in C (``bytes.translate``): ASCII digits become
# "0"; ASCII separators and UTF-8 continuation bytes go; a character of CJK ideographs
# (U+4000-U+9FFF, first byte E4-E9) is left as its first byte, and every other one becomes one
# "0", as if a digit (it might be: fullwidth digits, the ideographic space).
CJK_FIRST_BYTES = range(0xE4, 0xEA)
_DIGIT_TABLE = bytes(
    ord("0") if 0x30 <= b <= 0x39 or (b >= 0xC0 and b not in CJK_FIRST_BYTES) else b
    for b in range(256)
)
_ASCII_SEPARATORS = bytes(b for b in range(0x80) if re.match(r"[\s-]", chr(b)))
_DIGIT_DELETE = _ASCII_SEPARATORS + bytes(range(0x80, 0xC0))
_ELEVEN_ZEROS = b"0" * 11


def check_patient(rows: SourceRows, column: str, patient: str) -> None:
    """Every row is the requested patient's (compared before masking)."""
    at = rows.index.get(column)
    for row in rows.rows:
        if at is None or str(row[at]) != patient:
            raise ResponseBlockedError(
                "the response holds records of another patient than requested", where=column
            )


def check_schema(rows: SourceRows, fields: Iterable[str]) -> None:
    """Every row carries every field of ``fields``."""
    if not rows.rows:
        return
    index = rows.index
    missing = {name for name in fields if name not in index}
    if not missing and not rows.complete:  # a proxy's records: some may lack a field
        missing = {name for name in fields for row in rows.rows if row[index[name]] is MISSING}
    if missing:
        raise ResponseBlockedError(
            f"the source did not return field {sorted(missing)[0]!r}", where="schema"
        )


def unmasked_identifiers(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """Detector names of identifiers found in clear in the records' text values.

    Only values holding a run of eleven digits (spaces or hyphens between them allowed) go to
    the detectors: every identifier they look for here has at least that many."""
    if not _may_hold_run(records):
        return []
    # Values shorter than a match cannot hold one; the rest are searched together, NUL apart
    # (no run spans two), and one by one only when that finds something.
    values = [
        v for r in records for v in r.values() if isinstance(v, str) and len(v) >= DIGIT_RUN_MIN
    ]
    if not values or not ELEVEN_DIGITS.search(SEPARATORS.sub("", "\x00".join(values))):
        return []
    texts = [v for v in values if DIGIT_RUN.search(v)]
    found = detect_all(texts, IDENTIFIER_DETECTORS)
    return sorted({f.detector for f in found if not f.masked})


def _may_hold_run(records: Sequence[Mapping[str, Any]]) -> bool:
    """False only when no value of ``records`` holds a ``DIGIT_RUN``: the records' JSON, read
    through the byte tables in C, has no eleven "0" in a row. Whatever the tables cannot read
    for sure (an escape in the JSON, a value JSON cannot hold) answers True."""
    try:
        body = orjson.dumps(records, default=str, option=orjson.OPT_NON_STR_KEYS)
    except (TypeError, ValueError):
        return True
    return b"\\" in body or _ELEVEN_ZEROS in body.translate(_DIGIT_TABLE, _DIGIT_DELETE)
