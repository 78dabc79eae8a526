"""What a report is: titled sections of rows, an optional chart, and the ledger records behind them.

A builder fills a ``Report`` by streaming over the ledger once; renderers (HTML, JSON) only read
it. Row keys are stable machine names; their Chinese and English titles come from ``labels``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from medshield.reports.labels import label
from medshield.reports.seqs import SeqRanges
from medshield.reports.trafficmap import TrafficMap

ChartKind = Literal["bar", "line"]


@dataclass
class Chart:
    kind: ChartKind
    labels: list[str]
    values: list[float]
    marks: list[str] = field(default_factory=list)  # per label: "peak", "off_peak" or ""

    @classmethod
    def of(cls, kind: ChartKind, rows: list[dict[str, Any]], x: str, y: str,
           marks: list[str] | None = None) -> Chart:  # fmt: skip
        """The chart of column ``y`` against column ``x`` of ``rows``."""
        return cls(kind, [str(r[x]) for r in rows], [float(r[y]) for r in rows], marks or [])


@dataclass
class Section:
    key: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    chart: Chart | None = None
    note: str | None = None
    map: TrafficMap | None = None  # the locations section's tile map

    def as_dict(self, lang: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": label(self.key, lang),
            "columns": {c: label(c, lang) for c in self.columns},
            "rows": self.rows,
        }
        if self.note:
            out["note"] = self.note
        if self.map:
            out["map"] = self.map.as_dict()
        return out


@dataclass
class Report:
    kind: str
    since: datetime
    until: datetime
    lang: str = "zh"
    records_read: int = 0
    sections: list[Section] = field(default_factory=list)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": label(f"report.{self.kind}", self.lang),
            "from": self.since.isoformat(),
            "to": self.until.isoformat(),
            "lang": self.lang,
            "records_read": self.records_read,
            "sections": {s.key: s.as_dict(self.lang) for s in self.sections},
        }


def proof(seqs: SeqRanges) -> str:
    """The ledger sequence ranges that prove a figure, as ``1-5,9``."""
    return seqs.text()
