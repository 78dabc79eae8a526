"""Printing results: ``--format table|json|jsonl|csv`` for every command that reports."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return str(value)


def emit(rows: Sequence[Mapping[str, Any]], fmt: Format, *, title: str | None = None) -> None:
    """Write ``rows`` to standard output in ``fmt``."""
    if fmt is Format.JSON:
        sys.stdout.write(json.dumps([_plain(r) for r in rows], ensure_ascii=False, indent=2) + "\n")
    elif fmt is Format.JSONL:
        for row in rows:
            sys.stdout.write(json.dumps(_plain(row), ensure_ascii=False) + "\n")
    elif fmt is Format.CSV:
        columns = list(rows[0]) if rows else []
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    else:
        table = Table(title=title)
        columns = list(rows[0]) if rows else []
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*(_csv_cell(row.get(c)) for c in columns))
        # a terminal sets the width; piped, a table is as wide as its rows (never cut at 80)
        console = Console() if sys.stdout.isatty() else Console(width=10_000)
        console.print(table, crop=False)


def _csv_cell(value: Any) -> str:
    plain = _plain(value)
    if isinstance(plain, (list, dict)):
        return json.dumps(plain, ensure_ascii=False)
    return "" if plain is None else str(plain)


FormatOption = Annotated[
    Format, typer.Option("--format", help="Output: table for people; json, jsonl, csv for scripts.")
]
