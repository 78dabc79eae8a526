"""Diagnosis names from the shipped dictionary (ICD-10 clinical names and medical terms)."""

from __future__ import annotations

from typing import ClassVar

from medshield.detect.term_detector import TermDetector
from medshield.detect.terms import Kind


class DiagnosisDetector(TermDetector):
    name: ClassVar[str] = "diagnosis"
    kind: ClassVar[Kind] = "diagnosis"
    element: ClassVar[str] = "DE05.01.025.00"
    labels: ClassVar[tuple[str, ...]] = ("诊断", "diagnos", "disease", "疾病", "病名", "zd")
