"""A replica as append-only JSONL segment files in a folder.

``segment-<first seq>.jsonl`` holds up to ``SEGMENT_RECORDS`` records, one JSON object a line;
``checkpoints.jsonl`` holds the signed checkpoints. Every write is flushed and fsync'ed (and the
folder too when a file is created) before it counts as shipped. A line cut short by a crash is
dropped when the replica is opened again, so the replica always ends on a whole record.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from medshield.errors import LedgerError, LedgerIntegrityError
from medshield.ledger.canonical import GENESIS
from medshield.ledger.records import Checkpoint, RawRecord

SEGMENT_RECORDS = 100_000
CHECKPOINTS = "checkpoints.jsonl"
META = "replica.json"


class SegmentReplica:
    """Ledger records shipped to a folder of segment files."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(str(folder).removeprefix("file://"))
        self.location = str(self.folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._segments = sorted(self.folder.glob("segment-*.jsonl"))
        for path in (*self._segments[-1:], self.folder / CHECKPOINTS):
            _drop_partial_line(path)
        self._head = self._read_head()

    @property
    def hash_alg(self) -> str | None:
        meta = self.folder / META
        return str(json.loads(meta.read_text())["hash_alg"]) if meta.exists() else None

    def head(self) -> tuple[int, str]:
        return self._head[0], self._head[1]

    def head_at_us(self) -> int | None:
        return self._head[2]

    def ship(
        self, records: Sequence[RawRecord], checkpoints: Sequence[Checkpoint], hash_alg: str
    ) -> int:
        """Append ``records`` (continuing the head) and new ``checkpoints``; fsync. Records the
        replica already holds are skipped, so two shippers never write a record twice."""
        with _folder_lock(self.folder):
            self._segments = sorted(self.folder.glob("segment-*.jsonl"))
            self._head = self._read_head()
            fresh = [r for r in records if r.seq > self._head[0]]
            return self._ship(fresh, checkpoints, hash_alg)

    def _ship(
        self, records: Sequence[RawRecord], checkpoints: Sequence[Checkpoint], hash_alg: str
    ) -> int:
        if self.hash_alg is None:
            _write_new(self.folder / META, json.dumps({"hash_alg": hash_alg}) + "\n", self.folder)
        elif self.hash_alg != hash_alg:
            raise LedgerError(f"replica is chained with {self.hash_alg}", where=self.location)
        seq, prev = self._head[0], self._head[1]
        index = 0
        while index < len(records):
            if records[index].seq != seq + 1 or records[index].prev_hash != prev:
                raise LedgerIntegrityError(
                    f"record {records[index].seq} does not continue the replica at {seq}",
                    where=self.location,
                )
            path, room = self._segment_for(records[index].seq)
            chunk = records[index : index + room]
            lines = "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in chunk)
            _append(path, lines, self.folder)
            seq, prev = chunk[-1].seq, chunk[-1].hash
            self._head = (seq, prev, chunk[-1].at_us)
            index += len(chunk)
        shipped = {cp.seq for cp in self.checkpoints()}
        new = [cp for cp in checkpoints if cp.seq not in shipped and cp.seq <= seq]
        if new:
            text = "".join(json.dumps(cp.to_dict()) + "\n" for cp in new)
            _append(self.folder / CHECKPOINTS, text, self.folder)
        return len(records)

    def read(self, start_seq: int = 1) -> Iterator[RawRecord]:
        for path in sorted(self.folder.glob("segment-*.jsonl")):
            with path.open(encoding="utf-8") as handle:
                for line in handle:
                    data = json.loads(line)
                    if data["seq"] >= start_seq:
                        yield RawRecord(**data)

    def checkpoints(self) -> list[Checkpoint]:
        path = self.folder / CHECKPOINTS
        if not path.exists():
            return []
        with path.open(encoding="utf-8") as handle:
            return [Checkpoint(**json.loads(line)) for line in handle if line.strip()]

    def close(self) -> None:
        """Nothing stays open between ships."""

    def _segment_for(self, seq: int) -> tuple[Path, int]:
        if self._segments:
            last = self._segments[-1]
            first = int(last.stem.split("-")[1])
            if seq - first < SEGMENT_RECORDS:
                return last, SEGMENT_RECORDS - (seq - first)
        path = self.folder / f"segment-{seq:012d}.jsonl"
        self._segments.append(path)
        return path, SEGMENT_RECORDS

    def _read_head(self) -> tuple[int, str, int | None]:
        if not self._segments:
            return 0, GENESIS, None
        last_line = _last_line(self._segments[-1])
        if last_line is None:
            return 0, GENESIS, None
        data = json.loads(last_line)
        return int(data["seq"]), str(data["hash"]), int(data["at_us"])


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on the replica folder, across processes."""
    with (folder / ".lock").open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _append(path: Path, text: str, folder: Path) -> None:
    created = not path.exists()
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    if created:
        _fsync_dir(folder)


def _write_new(path: Path, text: str, folder: Path) -> None:
    _append(path, text, folder)


def _drop_partial_line(path: Path) -> None:
    """Cut a last line that has no newline (a write interrupted by a crash)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb+") as handle:
        data = handle.read()
        if data.endswith(b"\n"):
            return
        handle.truncate(data.rfind(b"\n") + 1)
        handle.flush()
        os.fsync(handle.fileno())


def _last_line(path: Path) -> str | None:
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        block = min(size, 1 << 16)
        while True:
            handle.seek(size - block)
            data = handle.read(block)
            lines = data.rstrip(b"\n").split(b"\n")
            if len(lines) > 1 or block == size:
                return lines[-1].decode("utf-8") if lines[-1] else None
            block = min(size, block * 4)
