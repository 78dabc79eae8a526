"""The shape of every detector and of what it finds.

A detector is a small class in its own file: a stable ``name`` (used in policy files and ledger
records), a pydantic ``Params`` model checked when the policy loads, and ``detect`` over a whole
column of values. ``detect`` sees the column at once so it can scan it vectorised (one regular
expression over the joined column, see ``scan.py``) instead of one value at a time.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from pydantic import BaseModel, ConfigDict, Field

from medshield.errors import PolicyError


@dataclass(frozen=True)
class Finding:
    """One match. ``evidence`` is a redacted hint, never the raw identifier."""

    detector: str
    element: str | None  # data-element code of the catalogue (elements/data/elements.yaml)
    index: int  # position of the value in the input
    start: int  # span inside the value
    end: int
    confidence: float  # 0-1
    masked: bool  # the match is an already-masked form (138****5678)
    evidence: str


class DetectorParams(BaseModel):
    """Parameters every detector takes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_confidence: float = Field(
        default=0.5, ge=0.0, le=1.0, description="findings below this confidence are dropped"
    )


class Located(Protocol):
    """Where a match is: the value's position in the column and the span inside the value."""

    @property
    def index(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Detector(Protocol):
    name: ClassVar[str]
    Params: ClassVar[type[BaseModel]]
    in_text: ClassVar[bool]  # also finds its identifier inside free text

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        """Findings over ``values``; ``label`` (column name or comment) is a weak hint."""
        ...


class BaseDetector(ABC):
    """Keeps the validated parameters; subclasses narrow ``params`` to their own ``Params``."""

    name: ClassVar[str]
    Params: ClassVar[type[BaseModel]] = DetectorParams
    in_text: ClassVar[bool] = True
    params: DetectorParams

    def __init__(self, params: BaseModel | None = None) -> None:
        chosen = params if params is not None else self.Params()
        if not isinstance(chosen, self.Params):
            chosen = self.Params.model_validate(chosen.model_dump())
        if not isinstance(chosen, DetectorParams):
            raise PolicyError(
                f"detector {self.name!r}: Params must extend DetectorParams",
                where=type(self).__module__,
            )
        self.params = chosen

    # True for a detector whose verdict depends on how often a value repeats in its column:
    # ``detect_all`` then hands it the whole column instead of the distinct values.
    reads_repeats: ClassVar[bool] = False

    @abstractmethod
    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        """Findings over ``values``; ``label`` (column name or comment) is a weak hint."""

    def find_in_text(self, text: str) -> list[Finding]:
        """Findings inside one free text (``find_spans``); a detector that reads running text
        differently from a column value (names without a cue, dates without a label) overrides
        it."""
        return self.detect([text])

    def keep(self, confidence: float) -> bool:
        return confidence >= self.params.min_confidence

    def add(
        self,
        found: list[Finding],
        at: Located,
        element: str | None,
        confidence: float,
        masked: bool,
        evidence: str,
        *,
        span: tuple[int, int] | None = None,
    ) -> bool:
        """Appends a finding at ``at`` (or at ``span`` inside its value) when ``confidence`` is
        kept; tells whether it was."""
        if not self.keep(confidence):
            return False
        start, end = span if span is not None else (at.start, at.end)
        found.append(
            Finding(self.name, element, at.index, start, end, confidence, masked, evidence)
        )
        return True
