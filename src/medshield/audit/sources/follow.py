"""Following a log file as it grows: through rotation (rename or copy-and-truncate) and restarts.

Only complete lines are read (a writer may be half-way through the last one). The follower
resumes from a stored (inode, offset, line number); when the file at the path is no longer that
inode, the rest of the rotated file (``PATH.1``) is read first when it is still there.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from medshield.audit.sources.base import Line
from medshield.errors import LogSourceError


@dataclass
class Position:
    inode: int = 0
    offset: int = 0
    line: int = 0  # the number of the last line before ``offset``


class Follower:
    """Yields :data:`Line` of ``path`` from ``position`` until ``stop()`` says so."""

    def __init__(
        self,
        path: str | Path,
        position: Position | None = None,
        *,
        poll: float = 0.2,
        stop: Callable[[], bool] = lambda: False,
        idle: Callable[[], None] = lambda: None,
    ) -> None:
        self.path = Path(path)
        self.position = position or Position()
        self.poll = poll
        self.stop = stop
        self.idle = idle
        self.inode = 0

    def lines(self) -> Iterator[Line]:
        start = self.position
        rotated = self.path.with_name(self.path.name + ".1")
        if start.inode and _inode(self.path) != start.inode and _inode(rotated) == start.inode:
            self.inode = start.inode
            with rotated.open("rb") as old:
                yield from self._read(old, start.offset, start.line, follow=False)
            start = Position()
        elif start.inode and _inode(self.path) != start.inode:
            start = Position()  # another file now: read it from its start
        while not self.stop():
            try:
                stream = self.path.open("rb")
            except FileNotFoundError:
                self.idle()
                time.sleep(self.poll)
                continue
            except OSError as exc:
                raise LogSourceError(
                    f"cannot follow the log: {exc.strerror}", where=str(self.path)
                ) from None
            with stream:
                self.inode = os.fstat(stream.fileno()).st_ino
                offset, number = (
                    (start.offset, start.line) if start.inode in (0, self.inode) else (0, 0)
                )
                yield from self._read(stream, offset, number, follow=True)
            start = Position()

    def _read(self, stream: BinaryIO, offset: int, number: int, *, follow: bool) -> Iterator[Line]:
        stream.seek(offset)
        while True:
            data = stream.readline()
            if data.endswith(b"\n"):
                number += 1
                yield number, offset, offset + len(data), data
                offset += len(data)
                continue
            stream.seek(offset)  # an incomplete last line: read it again when it is whole
            if not follow or self.stop():
                return
            self.idle()
            if self._moved(stream, offset):
                stream.seek(offset)
                rest = stream.read()
                if rest:  # the last line of a rotated file had no newline
                    yield number + 1, offset, offset + len(rest), rest
                return
            time.sleep(self.poll)

    def _moved(self, stream: BinaryIO, offset: int) -> bool:
        """True when the path is another file now, or the file was truncated."""
        try:
            now = os.stat(self.path)
        except FileNotFoundError:
            return False  # between a rename and the new file: keep reading the old one
        if now.st_ino != os.fstat(stream.fileno()).st_ino:
            return os.fstat(stream.fileno()).st_size <= offset
        if now.st_size < offset:
            self.inode = 0  # copy-and-truncate: the same inode starts again
            return True
        return False


def _inode(path: Path) -> int:
    try:
        return path.stat().st_ino
    except OSError:
        return 0
