"""The per-recipient watermark in XLSX workbooks: the cell scheme of ``watermark`` applied to
every text cell of every sheet below its first row.

Spreadsheet numbers are stored as numbers, so only cells with Chinese text carry a bit there
(the invisible character at their end); a workbook with enough distinct such values names its
recipient after sorting, filtering or deleting rows, and after copying the sheet elsewhere.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from medshield.errors import InputError
from medshield.share.watermark import mark_value, observe


def _open(data: bytes) -> Any:
    try:
        return load_workbook(io.BytesIO(data))
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputError(f"not a readable XLSX workbook: {type(exc).__name__}") from None


def _text_cells(workbook: Any) -> Iterator[Any]:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    yield cell


def mark_xlsx(data: bytes, key: bytes) -> bytes:
    """The workbook with every carrier text cell marked with ``key``."""
    workbook = _open(data)
    for cell in _text_cells(workbook):
        cell.value = mark_value(key, cell.value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_observations(data: bytes) -> dict[str, int]:
    """Normalised carrier value -> observed bit, over the workbook's text cells."""
    return observe(cell.value for cell in _text_cells(_open(data)))
