"""Auditing one log file: batch (from the last recorded position) or following it.

Findings and bad lines go to ``emit`` as they come; with a ledger, findings are committed with
the read position and the detectors' state (see :mod:`medshield.audit.detectors.record`) every
``commit_every`` lines and whenever the file is idle, so ``--follow`` can be killed at any moment
and resumed with its windows as they were.

The state goes with a commit every ``state_every`` lines, after ``state_seconds`` of wall time,
at rotation and at the end (it may be large: a window of many addresses). A restart takes the
last state back and reads again, silently, the lines from its position to the last recorded one
(their findings are in the ledger already), so the windows are exactly as they were.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from medshield.audit.detectors.base import Finding
from medshield.audit.detectors.pipeline import AuditCounts, LogAudit
from medshield.audit.detectors.record import LedgerRecorder
from medshield.audit.sources.base import BadLine, Line
from medshield.audit.sources.follow import Follower, Position
from medshield.audit.sources.reader import read_file
from medshield.errors import LogSourceError

Emit = Callable[[Finding | BadLine], None]


class LogRun:
    def __init__(
        self,
        audit: LogAudit,
        path: str | Path,
        emit: Emit,
        recorder: LedgerRecorder | None = None,
        *,
        commit_every: int = 5000,
        state_every: int = 50_000,
        state_seconds: float = 10.0,
    ) -> None:
        self.audit = audit
        self.path = Path(path)
        self.emit = emit
        self.recorder = recorder
        self.commit_every = commit_every
        self.state_every = state_every
        self.state_seconds = state_seconds
        self.start = recorder.resume() if recorder else Position()
        if recorder is not None and recorder.state is not None:
            audit.restore(recorder.state)  # the windows as they were at that position
            self._replay(recorder.state_at, self.start)
        elif self.start.offset:  # read before, no state recorded yet: from the file's start
            self._replay(Position(self.start.inode), self.start)
        self._state_lines = 0
        self._state_time = time.monotonic()
        self.inode = self.start.inode
        self._committed_lines = 0
        self._committed_events = 0
        self._committed_bad: Counter[str] = Counter()
        self.stopping = False

    def _replay(self, since: Position, until: Position) -> None:
        """Bring the restored state from ``since`` to ``until`` by reading the lines between
        again without emitting or recording anything (a state from the end of the file before
        a rotation: the new file from its start)."""
        if since == until or not until.inode:
            return
        rotated = self.path.with_name(self.path.name + ".1")
        path = next((p for p in (self.path, rotated) if _inode(p) == until.inode), None)
        if path is None:
            return  # the file is gone: the state as it was recorded
        offset, number = (since.offset, since.line) if since.inode == until.inode else (0, 0)

        def lines() -> Iterator[Line]:
            for line in _numbered(read_file(path, offset), number):
                if line[1] >= until.offset:
                    return
                yield line

        for _ in self.audit.run(lines()):
            pass
        self.audit.counts = AuditCounts()  # what the next commit records starts here

    def batch(self) -> None:
        try:
            inode = os.stat(self.path).st_ino
        except OSError as exc:
            raise LogSourceError(
                f"cannot open the log: {exc.strerror}", where=str(self.path)
            ) from None
        offset = self.start.offset if self.start.inode == inode else 0
        if self.start.inode != inode:
            self.start = Position(inode, 0, 0)
        self.inode = inode
        self.audit.mark(offset, self.start.line)
        self._consume(_numbered(read_file(self.path, offset), self.start.line))
        self._finish()

    def follow(self, poll: float = 0.2) -> None:
        follower = Follower(
            self.path, self.start, poll=poll, stop=lambda: self.stopping, idle=self.commit
        )
        self.audit.mark(self.start.offset, self.start.line)
        self._consume(self._tracked(follower))
        self._finish()

    def _tracked(self, follower: Follower) -> Iterator[Line]:
        for line in follower.lines():
            if follower.inode != self.inode:  # a new file (rotation): its own positions
                self.commit(force=True)
                self.inode = follower.inode
                self.start = Position(follower.inode, 0, 0)
                self.audit.mark(0, 0)
                self.audit.safe_end = 0
            yield line

    def _consume(self, lines: Iterator[Line]) -> None:
        for item in self.audit.run(self._committing(lines)):
            self.emit(item)
            if isinstance(item, Finding) and self.recorder is not None:
                self.recorder.pending.append(item)

    def _committing(self, lines: Iterator[Line]) -> Iterator[Line]:
        # Asked for a line only once every finding of the events before is in ``pending``.
        counts = self.audit.counts
        for line in lines:
            if counts.lines - self._committed_lines >= self.commit_every:
                self.commit(state=False)
            yield line

    def _finish(self) -> None:
        for item in self.audit.flush():
            self.emit(item)
            if self.recorder is not None:
                self.recorder.pending.append(item)
        self.commit(force=True)

    def commit(self, *, state: bool = True, force: bool = False) -> None:
        """Record the findings and the position, and the detectors' state: with ``force`` (a
        rotation, the end), every ``state_every`` lines, and with ``state`` (the file is idle)
        when ``state_seconds`` have passed since the last."""
        counts = self.audit.counts
        save = (
            force
            or counts.lines - self._state_lines >= self.state_every
            or (state and time.monotonic() - self._state_time >= self.state_seconds)
        )
        self._committed_lines = counts.lines
        if self.recorder is None:
            return
        self.recorder.events = counts.events - self._committed_events
        self.recorder.bad = counts.bad - self._committed_bad
        end = Position(
            self.inode,
            self.audit.safe_end or self.start.offset,
            self.audit.safe_line or self.start.line,
        )
        if end.offset < self.start.offset:
            end = self.start
        if self.recorder.commit(self.start, end, self.audit.state if save else None):
            if save:
                self._state_lines, self._state_time = counts.lines, time.monotonic()
            self._committed_events = counts.events
            self._committed_bad = counts.bad.copy()
            self.start = end
            self.audit.mark()


def _numbered(lines: Iterator[Line], before: int) -> Iterator[Line]:
    for number, start, end, data in lines:
        yield number + before, start, end, data


def _inode(path: Path) -> int:
    try:
        return path.stat().st_ino
    except OSError:
        return 0
