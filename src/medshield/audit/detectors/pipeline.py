"""Running a log through its source and the detectors: findings and bad lines, in order."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import get_args

from medshield.audit.detectors.base import Detector, DetectorContext, Finding, State
from medshield.audit.detectors.correlation import IncidentCorrelator
from medshield.audit.sources.base import BadLine, Line, LogEvent, LogSource, Outcome

_OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
# The latest lines read, whose numbers the source's next items need: a source yields an item as
# soon as its last line is read, or one line later (a record continued on the next lines).
_RECENT_LINES = 4096


@dataclass
class AuditCounts:
    lines: int = 0
    events: int = 0
    findings: int = 0
    bad: Counter[str] = field(default_factory=Counter)  # code -> lines

    def as_dict(self) -> dict[str, object]:
        return {
            "lines": self.lines,
            "events": self.events,
            "findings": self.findings,
            "bad": dict(self.bad),
        }


class LogAudit:
    """A source and its detectors over one stream of lines; state lives across calls."""

    def __init__(
        self,
        source: LogSource,
        ctx: DetectorContext,
        detectors: Iterable[type[Detector]],
        correlator: IncidentCorrelator | None = None,  # shared by the logs of one host or site
    ) -> None:
        self.source = source
        self.detectors = [cls(ctx) for cls in detectors]
        # Each (kind, outcome) to the detectors that observe it: an event reaches no other.
        self._by_kind: dict[tuple[str, str], list[Detector]] = {}
        for detector in self.detectors:
            outcomes = getattr(detector, "outcomes", _OUTCOMES)
            for kind in detector.kinds:
                for outcome in outcomes:
                    self._by_kind.setdefault((kind, outcome), []).append(detector)
        self.correlator = correlator or IncidentCorrelator(ctx)
        self.counts = AuditCounts()
        self.safe_end = 0  # the file offset after the last line an emitted item rests on
        self.safe_line = 0  # the number of that line
        self._recent: deque[Line] = deque(maxlen=_RECENT_LINES)  # bounded: a long follow

    def run(self, lines: Iterable[Line]) -> Iterator[Finding | BadLine]:
        counts = self.counts
        observers = {k: tuple(d.observe for d in ds) for k, ds in self._by_kind.items()}
        correlate = self.correlator.observe
        settle = self._settle
        none: tuple[()] = ()
        for item in self.source.events(self._counted(lines)):
            settle(item.end)
            if item.__class__ is BadLine:
                counts.bad[item.code] += 1  # type: ignore[union-attr]
                yield item
                continue
            counts.events += 1
            found: list[Finding] | None = None
            for observe in observers.get((item.kind, item.outcome), none):  # type: ignore[union-attr]
                hits = observe(item)  # type: ignore[arg-type]
                if hits:
                    if found is None:
                        found = list(hits)
                    else:
                        found.extend(hits)
            more = correlate(item, found or none)  # type: ignore[arg-type]
            if more:
                found = more if found is None else found + more
            if found:
                counts.findings += len(found)
                yield from found

    def events(self, lines: Iterable[Line]) -> Iterator[LogEvent | BadLine]:
        """The source's events alone (no detection)."""
        return self.source.events(self._counted(lines))

    def flush(self) -> list[Finding]:
        """What closes at the end of a batch: open buckets and incidents."""
        found: list[Finding] = []
        for detector in self.detectors:
            flush = getattr(detector, "flush", None)
            if flush is not None:
                found.extend(flush())
        found.extend(self.correlator.flush())
        self.counts.findings += len(found)
        return found

    def state(self) -> State:
        """The source's, the detectors' and the correlator's state (JSON), keyed by name."""
        parts: State = {}
        for name, part in self._parts():
            save = getattr(part, "state", None)
            if save is not None:
                parts[name] = save()
        return parts

    def restore(self, state: State) -> None:
        """Take back what :meth:`state` gave (a part it does not name starts empty)."""
        for name, part in self._parts():
            load = getattr(part, "restore", None)
            if load is not None and name in state:
                load(state[name])

    def _parts(self) -> list[tuple[str, object]]:
        named = [(f"detector:{d.name}", d) for d in self.detectors]
        return [("source", self.source), *named, ("correlation", self.correlator)]

    def mark(self, end: int = 0, line: int = 0) -> None:
        """Forget the lines up to the safe position (after a commit), or move it."""
        if end or line:
            self.safe_end, self.safe_line = end, line
        recent = self._recent
        while recent and recent[0][2] <= self.safe_end:
            recent.popleft()

    def _settle(self, end: int) -> None:
        """The safe position at the recent line that ends at ``end``, looked for from the last
        line read (it is that one, or the one before for a record its next line's start
        completed); where none does (a source that held more lines back than are kept), it stays
        where it was, so a restart reads again rather than number lines wrongly."""
        for number, _, line_end, _ in reversed(self._recent):
            if line_end == end:
                self.safe_end, self.safe_line = end, number
                return

    def _counted(self, lines: Iterable[Line]) -> Iterator[Line]:
        counts, keep = self.counts, self._recent.append
        for line in lines:
            counts.lines += 1
            keep(line)
            yield line
