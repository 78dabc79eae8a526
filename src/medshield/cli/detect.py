"""``medshield detect``: find sensitive data in a column of values or in a text."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from medshield.cli.output import Format, FormatOption, emit
from medshield.datafiles import check_size
from medshield.detect import detect_all, find_spans, registry, summarise
from medshield.errors import InputError

app = typer.Typer(help="Detectors: what a column holds, identifiers inside a text (R25, R28).")

NamesOption = Annotated[
    str | None, typer.Option("--detectors", help="Comma-separated detector names (default: all).")
]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="detect")


def _read_lines(source: str) -> list[str]:
    if source == "-":
        return sys.stdin.read().splitlines()
    path = Path(source)
    check_size(path)
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read values: {exc}", where=source) from None


@app.command("list")
def list_detectors(fmt: FormatOption = Format.TABLE) -> None:
    """The detectors, whether they work inside text, and their parameters."""
    rows = [
        {
            "detector": cls.name,
            "in_text": cls.in_text,
            "params": ", ".join(cls.Params.model_fields),
        }
        for cls in registry()
    ]
    emit(rows, fmt, title="detectors")


@app.command("column")
def column(
    source: Annotated[
        str, typer.Argument(help="A UTF-8 file with one value a line, or - for stdin.")
    ],
    label: Annotated[
        str | None, typer.Option("--label", help="Column name or comment, a weak hint.")
    ] = None,
    detectors: NamesOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Evidence of what a column holds: per detector, hit rate, masked rate, confidence."""
    values: list[str | None] = [line if line.strip() else None for line in _read_lines(source)]
    names = detectors.split(",") if detectors else None
    n_values = sum(1 for v in values if v is not None)
    rows = [
        {
            "detector": e.detector,
            "element": e.element,
            "hits": e.hits,
            "hit_rate": e.hit_rate,
            "masked_rate": e.masked_rate,
            "confidence": e.confidence,
            "evidence": e.evidence,
        }
        for e in summarise(detect_all(values, names, label=label), n_values)
    ]
    emit(rows, fmt, title=f"{n_values} values")


@app.command("text")
def text(
    content: Annotated[str, typer.Argument(help="The text to search, or - to read stdin.")],
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Identifiers inside a free text: position, detector, confidence, redacted evidence."""
    body = sys.stdin.read() if content == "-" else content
    rows = [
        {
            "start": f.start,
            "end": f.end,
            "detector": f.detector,
            "element": f.element,
            "confidence": f.confidence,
            "masked": f.masked,
            "evidence": f.evidence,
        }
        for f in find_spans(body)
    ]
    emit(rows, fmt, title=f"{len(rows)} findings")
