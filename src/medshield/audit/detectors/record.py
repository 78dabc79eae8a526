"""Findings into the ledger, with the position read so far, in one transaction.

Each commit appends the findings since the last one as ``alert.*`` events (outcome ``alert``) and one
``audit.log_read`` event that says which bytes and lines of which file were read, how many
events and bad lines they held. The next run resumes at the last recorded position, so a crash
(even SIGKILL) neither loses nor repeats a line: what was committed is in the ledger with its
position, what was not is read again.

The detectors' state (sliding windows, open episodes and incidents, per-account baselines) at
that position rides in the same ``audit.log_read`` event (``detail.state``: its JSON, checked by
the ledger's guard, compressed), so a restarted follower neither forgets the failures before it
nor counts them twice.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from medshield.audit.detectors.base import Finding, State
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
        event = event.revised(
            actor="redacted",
            detail={"detector": finding.detector, "severity": finding.severity, "redacted": True},
            reasons=(),
            payload_digest=f"sha256:{digest}",
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
        self.state: State | None = None  # the detectors' state last recorded ...
        self.state_at = Position()  # ... and the position it was recorded at

    def resume(self) -> Position:
        """The position after the last commit for this file and source (start when none); the
        detectors' state recorded last (with it, or with an earlier commit) goes to
        ``self.state``, its position to ``self.state_at``."""
        last: Event | None = None
        saved: Event | None = None
        for record in self.ledger.records(action_prefix=READ_ACTION):
            event = record.event
            if event.object.path == self.path and event.object.source == self.source:
                last = event
                if event.detail.get("state") is not None:
                    saved = event
        if saved is not None:
            self.state = unpack_state(saved.detail["state"])
            self.state_at = _position(saved)
        return Position() if last is None else _position(last)

    def commit(
        self, start: Position, end: Position, state: Callable[[], State] | None = None
    ) -> int:
        """Append the pending findings and the read position (with the detectors' ``state()``
        there); the number of records."""
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
                    **({"state": pack_state(state())} if state is not None else {}),
                },
                policy_version=self.policy_version,
            )
        )
        self.ledger.append_many(events)
        self.pending, self.events, self.bad = [], 0, Counter()
        return len(events)


def _position(event: Event) -> Position:
    return Position(event.detail["inode"], event.detail["to"], event.detail["last_line"])


def pack_state(state: State) -> str | None:
    """``state`` as it rides in the ledger. When it holds what the ledger must not keep (the
    guard's raw identifiers, say in a statement on an incident's timeline), the incidents are
    left out, then everything: a restart then starts with those parts empty, as before."""
    for kept in (state, {k: v for k, v in state.items() if k != "correlation"}):
        text = json.dumps(kept, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        try:
            check_payload(text, Event(action=READ_ACTION, actor="log"))
        except SensitivePayloadError:
            continue
        return base64.b64encode(zlib.compress(text.encode(), 6)).decode("ascii")
    return None


def unpack_state(packed: object) -> State | None:
    if not isinstance(packed, str):
        return None
    try:
        state = json.loads(zlib.decompress(base64.b64decode(packed)))
    except (ValueError, zlib.error):
        return None
    return state if isinstance(state, dict) else None
