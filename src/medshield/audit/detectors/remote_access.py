"""Abnormal remote logins: outside the institutions' networks, off hours, a new source."""

from __future__ import annotations

from typing import ClassVar

from medshield.audit.detectors.base import DetectorContext, Finding, State, finding
from medshield.audit.sources.base import LogEvent

_MAX_SOURCES = 64  # remembered sources per account


class RemoteAccessDetector:
    name: ClassVar[str] = "remote_access"
    kinds: ClassVar[frozenset[str]] = frozenset({"login"})  # the events it looks at
    outcomes: ClassVar[frozenset[str]] = frozenset({"success"})

    def __init__(self, ctx: DetectorContext) -> None:
        self.ctx = ctx
        self.policy = ctx.policy.remote_access
        self._seen: dict[str, tuple[int, set[str]]] = {}

    def state(self) -> State:
        return {"seen": {u: [n, sorted(s)] for u, (n, s) in self._seen.items()}}

    def restore(self, state: State) -> None:
        self._seen = {u: (n, set(s)) for u, (n, s) in state["seen"].items()}

    def observe(self, event: LogEvent) -> list[Finding]:
        if event.kind != "login" or event.outcome != "success" or self.ctx.is_local(event.host):
            return []
        reasons: list[str] = []
        if self.ctx.inside(event.host) is False:
            reasons.append(f"来源 {event.host} 不在机构网段内 / outside the institutions' networks")
        if event.at is not None and self.policy.off_hours(event.at):
            local = event.at.astimezone(self.ctx.zone)
            start, end = self.policy.working_hours
            reasons.append(f"非工作时间 {local:%H:%M} / off hours ({start}:00-{end}:00)")
        if event.user and event.host:
            logins, sources = self._seen.get(event.user, (0, set()))
            if logins >= self.policy.baseline_logins and event.host not in sources:
                reasons.append(f"账号 {event.user} 的新来源 / a new source for the account")
            if len(sources) < _MAX_SOURCES:
                sources.add(event.host)
            if len(self._seen) < 100_000 or event.user in self._seen:
                self._seen[event.user] = (logins + 1, sources)
        if not reasons:
            return []
        severity = "high" if len(reasons) > 1 else "medium"
        return [finding(self.name, "alert.remote_access", severity, event, tuple(reasons))]
