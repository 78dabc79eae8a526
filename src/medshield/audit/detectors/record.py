"""Findings into the ledger, with the position read so far, in one transaction.

Each commit appends the findings since the last one as ``audit.log.*`` events (outcome ``alert``) and one
``audit.log_read`` event that says which bytes and lines of which file were read, how many
events and bad lines they held. The next run resumes at the last recorded position, so a crash
(even SIGKILL) neither loses nor repeats a line: what was committed is in the ledger with its
position, what was not is read again.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from medshield.audit.detectors.base import Finding
from medshield.audit.sources.follow import Position
from medshield.errors import SensitivePayloadError
from medshield.ledger import DataObject, Event, Ledger
from medshield.ledger.guard import check_payload

READ_ACTION = "audit.log_read"


def finding_event(finding: Finding, policy_version: str | None) -> Event:
    detail = {
        "detector": finding.detector,
        "severity": finding.severity,
        "source": finding.source,
        "lines": list(finding.lines),
        "evidence": finding.evidence,
    }
    event = Event(
        action=finding.action,
        actor=finding.user or finding.host or "unknown",
        at=finding.at or datetime.now(UTC),
        detail=detail,
        outcome="alert",
        policy_version=policy_version,
        reasons=finding.reasons,
        source_ip=finding.host,
    )
    try:
        check_payload(event.model_dump_json(), event)
    except SensitivePayloadError:
        # an account name or a note that looks like an identifier: keep its digest only
        digest = hashlib.sha256(repr(detail).encode()).hexdigest()
        event = event.model_copy(
            update={
                "actor": "redacted",
                "detail": {
                    "detector": finding.detector,
                    "severity": finding.severity,
                    "redacted": True,
                },
                "reasons": (),
                "payload_digest": f"sha256:{digest}",
            }
        )
    return event


class LedgerRecorder:
    """Collects findings and commits them with the read position of ``path``."""

    def __init__(
        self, ledger: Ledger, path: str | Path, source: str, policy_version: str | None = None
    ) -> None:
        self.ledger = ledger
        self.path = str(path)
        self.source = source
        self.policy_version = policy_version
        self.pending: list[Finding] = []
        self.events = 0
        self.bad: Counter[str] = Counter()

    def resume(self) -> Position:
        """The position after the last commit for this file and source (start when none)."""
        last: Event | None = None
        for record in self.ledger.records(action_prefix=READ_ACTION):
            event = record.event
            if event.object.path == self.path and event.object.source == self.source:
                last = event
        if last is None:
            return Position()
        return Position(last.detail["inode"], last.detail["to"], last.detail["last_line"])

    def commit(self, start: Position, end: Position) -> int:
        """Append the pending findings and the read position; the number of records."""
        if end.offset == start.offset and end.inode == start.inode and not self.pending:
            return 0
        events = [finding_event(f, self.policy_version) for f in self.pending]
        events.append(
            Event(
                action=READ_ACTION,
                actor=f"log:{self.source}",
                object=DataObject(path=self.path, source=self.source),
                detail={
                    "inode": end.inode,
                    "from_inode": start.inode,
                    "from": start.offset if start.inode == end.inode else 0,
                    "to": end.offset,
                    "first_line": start.line + 1 if start.inode == end.inode else 1,
                    "last_line": end.line,
                    "events": self.events,
                    "bad": dict(self.bad),
                    "findings": len(self.pending),
                },
                policy_version=self.policy_version,
            )
        )
        self.ledger.append_many(events)
        self.pending, self.events, self.bad = [], 0, Counter()
        return len(events)
