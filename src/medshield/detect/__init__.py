"""Detectors of sensitive data in column values and in free text.

``detect_all(values)`` runs the built-in detectors over one column, ``summarise`` turns the
findings into per-detector evidence for classification, and ``find_spans(text)`` finds identifiers
inside free clinical text (``患者张三，电话13800138000``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from pydantic import BaseModel

from medshield.detect.address import AddressDetector
from medshield.detect.bank_card import BankCardDetector
from medshield.detect.base import BaseDetector, Detector, DetectorParams, Finding
from medshield.detect.birth_date import BirthDateDetector
from medshield.detect.diagnosis import DiagnosisDetector
from medshield.detect.drug import DrugDetector
from medshield.detect.email import EmailDetector
from medshield.detect.icd10_code import Icd10CodeDetector
from medshield.detect.id_card import ChineseIdDetector
from medshield.detect.ip_address import IpAddressDetector
from medshield.detect.landline import LandlineDetector
from medshield.detect.mobile import MobileDetector
from medshield.detect.operation import OperationDetector
from medshield.detect.passport import PassportDetector
from medshield.detect.person_name import PersonNameDetector
from medshield.detect.record_number import RecordNumberDetector
from medshield.detect.summary import ColumnEvidence, summarise
from medshield.registry import Registry, check_params

DETECTORS: tuple[type[BaseDetector], ...] = (
    ChineseIdDetector,
    PassportDetector,
    MobileDetector,
    LandlineDetector,
    PersonNameDetector,
    AddressDetector,
    RecordNumberDetector,
    BankCardDetector,
    EmailDetector,
    IpAddressDetector,
    BirthDateDetector,
    Icd10CodeDetector,
    DiagnosisDetector,
    DrugDetector,
    OperationDetector,
)


@cache
def registry() -> Registry[BaseDetector]:
    """Built-in detectors plus those of the entry-point group ``medshield.detectors``."""
    return Registry("detectors", DETECTORS)


def build(name: str, params: Mapping[str, Any] | None = None) -> Detector:
    """An instance of the detector ``name`` with ``params`` validated against its ``Params``."""
    cls = registry().get(name)
    checked: BaseModel = check_params(cls, dict(params or {}), where=f"detector {name}")
    instance: Detector = cls(checked)
    return instance


@cache
def _default(name: str) -> Detector:
    return build(name)


def _instances(
    names: Iterable[str] | None, params: Mapping[str, Mapping[str, Any]] | None
) -> list[Detector]:
    chosen = list(names) if names is not None else registry().names()
    given = params or {}
    return [build(n, given[n]) if n in given else _default(n) for n in chosen]


def detect_all(
    values: Sequence[str | None],
    names: Iterable[str] | None = None,
    *,
    label: str | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Finding]:
    """Findings of the named detectors (all by default) over one column of values.

    Each distinct value is scanned once (columns repeat values: diagnoses, departments, cities)
    and its findings are given to every position that holds it — except by detectors that read
    how often values repeat (``reads_repeats``), which see the whole column.
    """
    positions: dict[str, list[int]] = {}
    for i, value in enumerate(values):
        if value:
            positions.setdefault(value, []).append(i)
    detectors = _instances(names, params)
    if len(positions) == len(values):  # no nulls, no repeats: nothing to map back
        return sorted(
            (f for d in detectors for f in d.detect(values, label=label)), key=lambda f: f.index
        )
    distinct = list(positions)
    found: list[Finding] = []
    for detector in detectors:
        if getattr(detector, "reads_repeats", False):
            found.extend(detector.detect(values, label=label))
            continue
        for f in detector.detect(distinct, label=label):
            found.extend(replace(f, index=i) for i in positions[distinct[f.index]])
    found.sort(key=lambda f: f.index)
    return found


def find_spans(
    text: str, *, params: Mapping[str, Mapping[str, Any]] | None = None
) -> list[Finding]:
    """Identifiers inside one free text, ordered by position; overlaps keep the strongest."""
    names = [cls.name for cls in registry() if cls.in_text]
    candidates: list[Finding] = []
    for detector in _instances(names, params):
        finder = getattr(detector, "find_in_text", None)  # plugins may lack it
        candidates.extend(finder(text) if finder else detector.detect([text]))
    return keep_strongest(candidates)


def keep_strongest(candidates: Iterable[Finding]) -> list[Finding]:
    """Findings of one text without overlaps, ordered by position: the most confident (then the
    longest) of overlapping findings is kept."""
    ordered = sorted(candidates, key=lambda f: (-f.confidence, f.start - f.end, f.start))
    kept: list[Finding] = []
    for f in ordered:
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


__all__ = [
    "DETECTORS",
    "BaseDetector",
    "ColumnEvidence",
    "Detector",
    "DetectorParams",
    "Finding",
    "build",
    "detect_all",
    "find_spans",
    "keep_strongest",
    "registry",
    "summarise",
]
