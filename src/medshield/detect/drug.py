"""Drug names, generic and brand (``思密达``, ``蒙脱石散``, ``头孢他啶``), from the shipped
dictionary; the evidence of a brand names its generic name."""

from __future__ import annotations

from typing import ClassVar

from medshield.detect.term_detector import TermDetector
from medshield.detect.terms import Kind, Term


class DrugDetector(TermDetector):
    name: ClassVar[str] = "drug"
    kind: ClassVar[Kind] = "drug"
    element: ClassVar[str] = "DE08.50.022.00"
    labels: ClassVar[tuple[str, ...]] = ("药", "drug", "medic", "ypmc")

    def describe(self, term: Term) -> str:
        if term.code and term.code != term.text:
            return f"drug term, generic {term.code}"
        return "drug term"
