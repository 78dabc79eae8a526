"""The pipeline's safe position (where a restart resumes) and its memory on a long follow."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterable, Iterator
from itertools import islice

from medshield.audit.detectors import DETECTORS, DetectorContext, LogAudit
from medshield.audit.detectors import pipeline as pipeline_module
from medshield.audit.sources import SOURCES, lines_from_text
from medshield.audit.sources.base import BadLine, Line, LogEvent


def _auth_log() -> Iterator[str]:
    """An endless auth log: mostly other programs' lines (no event), now and then sshd's."""
    second = 0
    while True:
        second += 1
        stamp = f"Dec  1 {second // 3600 % 24:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
        yield f"{stamp} h CRON[{second}]: (root) CMD (run-parts /etc/cron.hourly)\n"
        if second % 50 == 0:
            yield f"{stamp} h sshd[{second}]: Connection from 10.0.0.{second % 200} port 22\n"


def test_following_without_commits_keeps_memory_flat(ctx: DetectorContext) -> None:
    """No commit (no ledger) ever marks the position: what the pipeline keeps of the lines
    read must still not grow with them."""
    audit = LogAudit(SOURCES.get("sshd")(), ctx, DETECTORS)
    lines = lines_from_text(_auth_log())
    for _ in audit.run(islice(lines, 10_000)):  # the kept lines reach their bound
        pass
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for _ in audit.run(islice(lines, 30_000)):
            pass
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    only = [tracemalloc.Filter(True, pipeline_module.__file__)]
    grown = sum(
        s.size_diff
        for s in after.filter_traces(only).compare_to(before.filter_traces(only), "lineno")
    )
    assert grown < 64 * 1024, grown


def test_the_safe_position_is_the_last_line_of_the_last_record(ctx: DetectorContext) -> None:
    """A pgaudit record whose statement spans three lines is yielded when the next record
    begins: the safe position is then after its third line, with that line's number."""
    text = (
        "2026-12-01 01:00:00 UTC [7] his@hisdb 10.1.0.5(5) LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,"
        '"SELECT id\n  FROM visit\n  WHERE id = 1",<none>\n'
        "2026-12-01 01:00:01 UTC [7] his@hisdb 10.1.0.5(5) LOG:  AUDIT: SESSION,2,1,READ,SELECT,,,"
        '"SELECT 1",<none>\n'
    )
    lines = list(lines_from_text(text))
    audit = LogAudit(SOURCES.get("pgaudit")(), ctx, DETECTORS)
    for _ in audit.run(iter(lines)):
        pass
    assert (audit.safe_end, audit.safe_line) == (lines[-1][2], 4)
    partial = LogAudit(SOURCES.get("pgaudit")(), ctx, DETECTORS)
    for _ in partial.run(iter(lines[:3])):  # the first record's lines only: not yet yielded
        pass
    assert (partial.safe_end, partial.safe_line) == (lines[2][2], 3)  # yielded at the end


class _HoldsBack:
    """A source that yields each line's event only after reading ``lag`` lines more."""

    name = "held"

    def __init__(self, lag: int) -> None:
        self.lag = lag

    def events(self, lines: Iterable[Line]) -> Iterator[LogEvent | BadLine]:
        held: list[Line] = []
        for line in lines:
            held.append(line)
            if len(held) > self.lag:
                number, start, end, _ = held.pop(0)
                yield LogEvent(
                    self.name, "connect", "info", None, line=number, start=start, end=end
                )


def test_a_source_holding_back_more_than_is_kept_does_not_move_the_position(
    ctx: DetectorContext,
) -> None:
    """The position must be a line's end with that line's number: where the line an event
    rests on is no longer kept, the position stays where it was (a restart reads more again)."""
    lines = list(lines_from_text("".join(f"line {i}\n" for i in range(10_000))))
    near = LogAudit(_HoldsBack(3), ctx, DETECTORS)  # type: ignore[arg-type]
    for _ in near.run(iter(lines)):
        pass
    assert (near.safe_end, near.safe_line) == (lines[-4][2], lines[-4][0])
    far = LogAudit(_HoldsBack(5000), ctx, DETECTORS)  # type: ignore[arg-type]
    for _ in far.run(iter(lines)):
        pass
    assert (far.safe_end, far.safe_line) == (0, 0)
