"""Reading a log file as :data:`Line` tuples: the whole file, or from an offset."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from medshield.audit.sources.base import Line
from medshield.errors import LogSourceError


def lines_of(stream: BinaryIO, offset: int = 0, first_number: int = 1) -> Iterator[Line]:
    """Complete lines of ``stream`` from ``offset``; a last line without newline is included."""
    number, start = first_number, offset
    for data in stream:
        end = start + len(data)
        yield number, start, end, data
        number, start = number + 1, end


def read_file(path: str | Path, offset: int = 0) -> Iterator[Line]:
    """Every line of ``path`` from ``offset`` (batch import)."""
    try:
        stream = Path(path).open("rb")  # noqa: SIM115 - closed when the generator ends
    except OSError as exc:
        raise LogSourceError(f"cannot open the log: {exc.strerror}", where=str(path)) from None
    with stream:
        stream.seek(offset)
        yield from lines_of(stream, offset)


def lines_from_text(text: str | Iterable[str]) -> Iterator[Line]:
    """Lines of in-memory text (tests, docs, the demo), with the offsets a file would give."""
    chunks = text.splitlines(keepends=True) if isinstance(text, str) else text
    number = start = 0
    for number, chunk in enumerate(chunks, start=1):
        data = chunk.encode("utf-8")
        yield number, start, start + len(data), data
        start += len(data)
