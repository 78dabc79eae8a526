"""Correlation: the findings and events of one address or account within a window become one
incident with its timeline (SSH brute force -> database login -> bulk export).

An incident opens with a finding. Later events and findings that share its address or account
join it (and bring their own address or account into it) while it is active, that is until a
window passes without anything joining (or log time goes back more than a window before it: an
older log read after a newer one). It is reported when it closes, or at the end of a batch,
if it spans the policy's number of stages (ssh, database, file).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from medshield.audit.detectors.base import DetectorContext, Finding, State, moment, stamp
from medshield.audit.sources.base import LogEvent

STAGES = {
    "sshd": "ssh",
    "postgres": "database",
    "pgaudit": "database",
    "mariadb-audit": "database",
    "mysql-general": "database",
    "auditd": "file",
}


@dataclass(slots=True)
class Incident:
    keys: set[str]
    first: datetime | None
    last: datetime | None
    timeline: list[dict[str, Any]] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    stages: set[str] = field(default_factory=set)
    end: int = 0


class IncidentCorrelator:
    name: ClassVar[str] = "correlation"

    def __init__(self, ctx: DetectorContext) -> None:
        self.policy = ctx.policy.correlation
        self._by_key: dict[str, Incident] = {}
        self._open: list[Incident] = []
        self._next_check = 0.0  # expiry is looked at once per tenth of a window of log time
        self._checked: datetime | None = None

    def observe(self, event: LogEvent, findings: Sequence[Finding]) -> list[Finding]:
        if not findings:  # nothing to join (most lines of most logs): only the expiry to look at
            if not self._open:
                return []
            if not _notable(event):
                return self._expire(event.at)
        done = self._expire(event.at)
        keys = _keys(event.host, event.user)
        incident = self._joined(keys)
        if findings:
            if incident is None:
                incident = Incident(set(), event.at, event.at)
                self._open.append(incident)
            for f in findings:
                incident.findings.append(f.action)
                self._add(
                    incident,
                    f.at,
                    STAGES.get(f.source, f.source),
                    f.action,
                    f.host,
                    f.user,
                    "; ".join(f.reasons),
                )
        elif incident is not None and _notable(event):
            self._add(
                incident,
                event.at,
                STAGES.get(event.source, event.source),
                f"{event.kind}.{event.outcome}",
                event.host,
                event.user,
                event.statement or event.command or "",
            )
        if incident is not None:
            incident.end = max(incident.end, event.end)
            for key in keys:
                incident.keys.add(key)
                self._by_key[key] = incident
        return done

    def state(self) -> State:
        return {
            "next_check": self._next_check,
            "open": [
                [sorted(i.keys), stamp(i.first), stamp(i.last), i.timeline, i.findings,
                 sorted(i.stages), i.end]
                for i in self._open
            ],
        }  # fmt: skip

    def restore(self, state: State) -> None:
        self._next_check, self._checked = state["next_check"], None
        self._open, self._by_key = [], {}
        for keys, first, last, timeline, found, stages, end in state["open"]:
            incident = Incident(
                set(keys), moment(first), moment(last), timeline, found, set(stages), end
            )
            self._open.append(incident)
            for key in keys:
                self._by_key[key] = incident

    def flush(self) -> list[Finding]:
        done = [self._report(i) for i in self._open]
        self._open, self._by_key = [], {}
        return [f for f in done if f is not None]

    def _joined(self, keys: list[str]) -> Incident | None:
        for key in keys:
            incident = self._by_key.get(key)
            if incident is not None:
                return incident
        return None

    def _add(
        self,
        incident: Incident,
        at: datetime | None,
        stage: str,
        what: str,
        host: str | None,
        user: str | None,
        note: str,
    ) -> None:
        incident.stages.add(stage)
        incident.last = at or incident.last
        incident.first = incident.first or at
        if len(incident.timeline) < self.policy.max_timeline:
            incident.timeline.append(
                {
                    "at": at.isoformat() if at else None,
                    "stage": stage,
                    "what": what,
                    "host": host,
                    "user": user,
                    "note": note[:200],
                }
            )

    def _expire(self, now: datetime | None) -> list[Finding]:
        if now is None or not self._open or now is self._checked:
            return []
        self._checked = now  # the lines of one second share a time: it is looked at once
        window = self.policy.window_seconds
        stamp = now.timestamp()
        if self._next_check - window / 10 <= stamp < self._next_check:
            return []  # looked at less than a tenth of a window before (time may go back)
        self._next_check = stamp + window / 10
        stale = [i for i in self._open if i.last and abs((now - i.last).total_seconds()) > window]
        if not stale:
            return []
        for incident in stale:
            self._open.remove(incident)
            for key in incident.keys:
                if self._by_key.get(key) is incident:
                    del self._by_key[key]
        return [f for f in (self._report(i) for i in stale) if f is not None]

    def _report(self, incident: Incident) -> Finding | None:
        if len(incident.stages) < self.policy.min_stages:
            return None
        hosts = sorted(k[3:] for k in incident.keys if k.startswith("ip:"))
        users = sorted(k[5:] for k in incident.keys if k.startswith("user:"))
        stages = [s for s in ("ssh", "database", "file") if s in incident.stages]
        reason = f"关联事件 / one incident across {' -> '.join(stages)}: {len(incident.findings)} findings"
        return Finding(
            self.name,
            "alert.incident",
            "critical",
            incident.last,
            hosts[0] if hosts else None,
            users[0] if users else None,
            "correlation",
            (reason,),
            {
                "from": incident.first.isoformat() if incident.first else None,
                "to": incident.last.isoformat() if incident.last else None,
                "addresses": hosts,
                "accounts": users,
                "stages": stages,
                "findings": incident.findings,
                "timeline": incident.timeline,
            },
            (0, 0),
            incident.end,
        )


def _keys(host: str | None, user: str | None) -> list[str]:
    keys = []
    if host and host not in ("localhost", "127.0.0.1", "::1", "[local]"):
        keys.append(f"ip:{host}")
    if user:
        keys.append(f"user:{user}")
    return keys


def _notable(event: LogEvent) -> bool:
    return (
        event.outcome == "success"
        and event.kind in ("login", "exec", "file")
        or (event.kind == "query" and event.command in ("COPY", "DELETE", "UPDATE", "TRUNCATE"))
    )
