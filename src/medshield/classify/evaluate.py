"""Measuring the classifier against labelled columns: direct-identifier P/R/F1, level accuracy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from medshield.classify.classifier import ColumnClass
from medshield.classify.grade import grade
from medshield.policy import PolicyBundle


@dataclass(frozen=True)
class Label:
    """What a column holds, by a person or a generator that knows."""

    element: str  # "" for none
    identifier: str  # direct | quasi | none
    level: str | None = None  # when the label gives one; else the element's level


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    level_hits: int = 0
    columns: int = 0
    misses: list[tuple[str, str | None, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def false_rate(self) -> float:
        """False identifiers: the share of the columns that are no identifier but were taken for
        one."""
        negatives = self.columns - self.tp - self.fn
        return self.fp / negatives if negatives else 0.0

    @property
    def level_accuracy(self) -> float:
        return self.level_hits / self.columns if self.columns else 1.0


def is_direct(bundle: PolicyBundle, elements: Iterable[str]) -> bool:
    return any(bundle.catalogue[e].identifier == "direct" for e in elements if e)


def score(
    bundle: PolicyBundle,
    predictions: Mapping[str, ColumnClass],
    labels: Mapping[str, Label],
) -> Scores:
    """Compare predictions with labels, both keyed by a column id (e.g. ``table.column``)."""
    s = Scores()
    for key, label in labels.items():
        pred = predictions.get(key)
        elements = pred.elements if pred is not None else ()
        predicted = is_direct(bundle, elements) or (pred is not None and pred.may_embed)
        truth = label.identifier == "direct"
        s.tp += predicted and truth
        s.fp += predicted and not truth
        s.fn += truth and not predicted
        if predicted != truth:
            s.misses.append((key, pred.element if pred else None, label.element))
        expected = label.level or grade(bundle, (label.element,) if label.element else ()).level.en
        may_embed = pred is not None and pred.may_embed
        s.level_hits += grade(bundle, elements, may_embed=may_embed).level.en == expected
        s.columns += 1
    return s
