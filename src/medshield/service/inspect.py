"""Response checks before release (R25), failing closed: every record belongs to the patient of
the request and carries the API's fields, and no identifier the plan should have masked is left
in the body (the detectors scan every text value)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from medshield.detect import detect_all
from medshield.errors import ResponseBlockedError

IDENTIFIER_DETECTORS = ("cn_id", "mobile", "bank_card")
DIGIT_RUN = re.compile(r"(?:\d[\s-]?){10}\d")
# Every DIGIT_RUN match lies inside a run of digits, spaces and hyphens this long, and this
# pattern is found without backtracking: DIGIT_RUN then only reads those runs.
CANDIDATE = re.compile(r"[\d\s-]{11,}")


def check_patient(rows: Sequence[Mapping[str, Any]], column: str, patient: str) -> None:
    """Every row is the requested patient's (compared before masking)."""
    for row in rows:
        if str(row.get(column)) != patient:
            raise ResponseBlockedError(
                "the response holds records of another patient than requested", where=column
            )


def check_schema(rows: Sequence[Mapping[str, Any]], fields: Iterable[str]) -> None:
    wanted = set(fields)
    for row in rows:
        missing = wanted - row.keys()
        if missing:
            raise ResponseBlockedError(
                f"the source did not return field {sorted(missing)[0]!r}", where="schema"
            )


def unmasked_identifiers(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """Detector names of identifiers found in clear in the records' text values.

    Only values holding a run of eleven digits (spaces or hyphens between them allowed) go to
    the detectors: every identifier they look for here has at least that many."""
    texts = [v for r in records for v in r.values() if isinstance(v, str) and _digit_run(v)]
    if not texts:
        return []
    found = detect_all(texts, IDENTIFIER_DETECTORS)
    return sorted({f.detector for f in found if not f.masked})


def _digit_run(text: str) -> bool:
    return any(DIGIT_RUN.search(m.group()) for m in CANDIDATE.finditer(text))
