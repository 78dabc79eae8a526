"""The ground truth: one row per column of every table, saying what the column holds.

Free-text columns that sometimes carry identifiers (a phone number in 备注, a name in 病程记录)
are marked ``direct`` and raised to the ``important`` level: a classifier must find them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from medshield.atomic import atomic_target
from medshield.elements.catalogue import ElementCatalogue
from medshield.elements.levels import Level
from medshield.synth.schema import TableSpec
from medshield.synth.styles import VendorStyle

HEADER = ("institution", "database", "table", "column", "element", "identifier", "level")
GROUND_TRUTH = "ground_truth.csv"


@dataclass(frozen=True)
class TruthRow:
    institution: str
    database: str
    table: str
    column: str
    element: str
    identifier: str
    level: str


def truth_rows(
    institution: str,
    database: str,
    table: TableSpec,
    physical: str,
    style: VendorStyle,
    catalogue: ElementCatalogue,
) -> list[TruthRow]:
    rows = []
    for col in table.columns:
        if not col.element:
            identifier, level = "none", Level.PUBLIC
        else:
            element = catalogue[col.element]
            identifier, level = element.identifier, element.level
        if col.embeds:
            identifier, level = "direct", max(level, Level.IMPORTANT)
        rows.append(
            TruthRow(
                institution,
                database,
                physical,
                style.column_name(col),
                col.element,
                identifier,
                level.en,
            )
        )
    return rows


def write_ground_truth(path: Path, rows: list[TruthRow]) -> None:
    with atomic_target(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for r in rows:
            writer.writerow(
                (r.institution, r.database, r.table, r.column, r.element, r.identifier, r.level)
            )


def read_ground_truth(path: Path) -> list[TruthRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [TruthRow(**row) for row in csv.DictReader(handle)]
