"""Checking a user's CSV or Parquet file before anything reads it, with errors that say where.

A reader that guesses (Polars, Arrow) turns a broken file into a long message, or worse into a
silent success: a binary file read as one garbage column, a ragged row padded with nulls. Here a
CSV must be UTF-8 (a UTF-8 byte-order mark, as Excel writes "CSV UTF-8", is skipped; a UTF-16 or
UTF-32 one is refused), have a header of distinct, non-empty names, and rows of the header's
width with every quote closed; a Parquet file must carry Parquet's magic bytes at both ends. The
first problem found is a ``FileFormatError`` naming the file and line.

A file that is read whole into memory (a policy file, a package, a key, a list of values) goes
through ``read_whole``: above ``MEDSHIELD_MAX_INPUT_BYTES`` it is a ``FileTooLargeError`` naming
the file and the limit, before a byte is read.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from functools import cache
from pathlib import Path
from typing import Any

from medshield.errors import FileAccessError, FileFormatError, FileTooLargeError
from medshield.settings import get_settings

BOM = b"\xef\xbb\xbf"
# Byte-order marks of the encodings that are not UTF-8 (UTF-32 first: its LE mark starts as
# UTF-16's).
OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
PARQUET_MAGIC = b"PAR1"
_CHUNK = 1 << 20
LIMIT_VARIABLE = "MEDSHIELD_MAX_INPUT_BYTES"  # Settings.max_input_bytes


def check_readable(path: Path) -> None:
    """``path`` is an existing, readable regular file, else a ``FileAccessError``."""
    if not path.exists():
        raise FileAccessError("file not found", where=str(path))
    if not path.is_file():
        raise FileAccessError("not a regular file (a folder?)", where=str(path))
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise FileAccessError(f"cannot read the file: {exc.strerror}", where=str(path)) from None


def check_size(path: Path) -> None:
    """A ``FileTooLargeError`` when ``path`` is over the limit on files read whole."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # missing or unreadable: the read that follows says so
    limit = max_input_bytes()
    if size > limit:
        raise FileTooLargeError(
            f"the file is {size:,} bytes, over the limit of {limit:,} bytes on a file read whole "
            "(MEDSHIELD_MAX_INPUT_BYTES)",
            where=str(path),
        )


def max_input_bytes() -> int:
    """The limit on a file read whole (the setting, read again only when its variable changes)."""
    return _limit(os.environ.get(LIMIT_VARIABLE))


@cache
def _limit(_raw: str | None) -> int:
    return get_settings().max_input_bytes


def read_whole(path: Path) -> bytes:
    """The bytes of a file read whole: it must exist, be a readable file, and within the limit."""
    check_readable(path)
    check_size(path)
    return path.read_bytes()


def read_whole_text(path: Path) -> str:
    """The UTF-8 text of a file read whole (a UTF-8 byte-order mark skipped), else a coded error."""
    data = read_whole(path)
    check_not_other_bom(data[:4], path)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileFormatError(
            f"not UTF-8 text (a bad byte at offset {exc.start})", where=f"{path}:{line}"
        ) from None


def check_not_other_bom(head: bytes, path: Path) -> None:
    """A ``FileFormatError`` when ``head`` starts with a UTF-16 or UTF-32 byte-order mark."""
    for mark, encoding in OTHER_BOMS:
        if head.startswith(mark):
            raise FileFormatError(
                f"not UTF-8: {encoding} text (a {encoding} byte-order mark); save it as UTF-8",
                where=f"{path}:1",
            )


def check_table_file(path: Path) -> None:
    """A .csv or .parquet file that readers can trust (by suffix), else a coded error."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        check_parquet(path)
    elif suffix == ".csv":
        check_csv(path)
    else:
        raise FileFormatError("expected a .csv or .parquet file", where=str(path))


def check_parquet(path: Path) -> None:
    check_readable(path)
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(max(size - 4, 0))
        tail = handle.read(4)
    if size < 12 or head != PARQUET_MAGIC or tail != PARQUET_MAGIC:
        raise FileFormatError("not a Parquet file (no PAR1 magic at both ends)", where=str(path))


def check_csv(path: Path) -> list[str]:
    """Validate a CSV file in one streaming pass; its header."""
    check_readable(path)
    with path.open("rb") as raw:
        head = raw.read(4)
        check_not_other_bom(head, path)
        raw.seek(len(BOM) if head.startswith(BOM) else 0)  # Excel's "CSV UTF-8" starts so
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="")
        try:
            return _check_rows(csv.reader(text, strict=True), path)
        except UnicodeDecodeError:
            offset, line = _first_bad_byte(path)
            raise FileFormatError(
                f"not UTF-8 text (a bad byte at offset {offset})", where=f"{path}:{line}"
            ) from None


def _check_rows(reader: Any, path: Path) -> list[str]:
    rows = iter(reader)
    try:
        header: list[str] = next(rows, [])
        if not header:
            raise FileFormatError("empty file: no header row", where=f"{path}:1")
        _check_header(header, path)
        for row in rows:
            line = reader.line_num
            if "\x00" in "".join(row):
                raise FileFormatError("a NUL byte: a binary file?", where=f"{path}:{line}")
            if row and len(row) != len(header):
                raise FileFormatError(
                    f"ragged row: {len(row)} fields, the header has {len(header)}",
                    where=f"{path}:{line}",
                )
    except csv.Error as exc:
        line = reader.line_num
        raise FileFormatError(f"malformed CSV: {exc}", where=f"{path}:{line}") from None
    return header


def _check_header(header: list[str], path: Path) -> None:
    if "\x00" in "".join(header):
        raise FileFormatError("a NUL byte in the header: a binary file?", where=f"{path}:1")
    for number, name in enumerate(header, start=1):
        if not name.strip():
            raise FileFormatError(f"column {number} of the header has no name", where=f"{path}:1")
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise FileFormatError(f"column {name!r} named twice in the header", where=f"{path}:1")
        seen.add(name)


def _first_bad_byte(path: Path) -> tuple[int, int]:
    """The offset and line of the first byte that is not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, lines = 0, 1
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                good = max(exc.start, 0)
                return offset + good, lines + chunk[:good].count(b"\n")
            offset, lines = offset + len(chunk), lines + chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:  # cut inside a character: a truncated file
            pass
    return offset, lines
