"""Following a file: partial lines wait, copy-and-truncate and rename rotations are followed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from medshield.audit.sources.base import Line
from medshield.audit.sources.follow import Follower, Position


def _collect(follower: Follower, into: list[Line]) -> threading.Thread:
    thread = threading.Thread(target=lambda: into.extend(follower.lines()), daemon=True)
    thread.start()
    return thread


def _until(seen: list[Line], count: int) -> None:
    deadline = time.monotonic() + 10
    while len(seen) < count:
        assert time.monotonic() < deadline, f"{len(seen)} of {count} lines"
        time.sleep(0.01)


def test_partial_lines_truncation_and_rename(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_bytes(b"a1\na2\na3")  # a3 is still being written
    stop = threading.Event()
    seen: list[Line] = []
    thread = _collect(Follower(log, poll=0.01, stop=stop.is_set), seen)
    _until(seen, 2)
    with log.open("ab") as out:
        out.write(b" done\n")
    _until(seen, 3)
    log.write_bytes(b"b1\n")  # copy-and-truncate: the same file starts again
    _until(seen, 4)
    log.rename(tmp_path / "app.log.1")
    with (tmp_path / "app.log.1").open("ab") as out:
        out.write(b"b2\n")  # the old file still gets a line after the rename
    log.write_bytes(b"c1\n")
    _until(seen, 6)
    stop.set()
    thread.join(5)
    assert [line[3] for line in seen] == [b"a1\n", b"a2\n", b"a3 done\n", b"b1\n", b"b2\n", b"c1\n"]
    assert seen[2][1:3] == (6, 14)  # offsets in the file


def test_resume_reads_the_rest_of_the_rotated_file(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_bytes(b"a1\na2\na3\n")
    inode = log.stat().st_ino
    log.rename(tmp_path / "app.log.1")
    log.write_bytes(b"b1\n")
    stop = threading.Event()
    seen: list[Line] = []
    thread = _collect(Follower(log, Position(inode, 3, 1), poll=0.01, stop=stop.is_set), seen)
    _until(seen, 3)
    stop.set()
    thread.join(5)
    assert [(line[0], line[3]) for line in seen] == [(2, b"a2\n"), (3, b"a3\n"), (1, b"b1\n")]
