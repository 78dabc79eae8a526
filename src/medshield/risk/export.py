"""The register as CSV or JSON (one row a risk, as ``Risk.as_row`` gives it)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from medshield.risk.register import Risk


def register_rows(risks: Iterable[Risk]) -> list[dict[str, object]]:
    return [r.as_row() for r in sorted(risks, key=lambda r: r.id)]


def to_csv(risks: Iterable[Risk]) -> str:
    rows = register_rows(risks)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else [], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def to_json(risks: Iterable[Risk]) -> str:
    return json.dumps(register_rows(risks), ensure_ascii=False, indent=2) + "\n"
