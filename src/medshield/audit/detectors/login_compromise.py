"""A successful login after many failures from the same address or on the same account."""

from __future__ import annotations

from typing import ClassVar

from medshield.audit.detectors.base import DetectorContext, Finding, State, finding
from medshield.audit.detectors.windows import SlidingCounts
from medshield.audit.sources.base import LogEvent


class LoginCompromiseDetector:
    name: ClassVar[str] = "login_compromise"
    kinds: ClassVar[frozenset[str]] = frozenset({"login"})  # the events it looks at
    outcomes: ClassVar[frozenset[str]] = frozenset({"failure", "success"})

    def __init__(self, ctx: DetectorContext) -> None:
        self.policy = ctx.policy.login_failures
        self.failures = SlidingCounts(self.policy.window_seconds)

    def state(self) -> State:
        return {"failures": self.failures.state()}

    def restore(self, state: State) -> None:
        self.failures.restore(state["failures"])

    def observe(self, event: LogEvent) -> list[Finding]:
        if event.kind != "login" or event.outcome == "info" or event.detail.get("repeat"):
            return []
        host, user = event.host, event.user
        if event.outcome == "failure":  # most events: the keys of _keys, without the list
            add, at = self.failures.add, event.at
            if host:
                add(f"ip:{host}", at)
            if user:
                add(f"user:{user}", at)
            return []
        keys = _keys(host, user)
        before = max((self.failures.count(k, event.at) for k in keys), default=0)
        for key in keys:
            self.failures.reset(key)
        if before < self.policy.success_after:
            return []
        reason = f"{before} 次失败后登录成功 / success after {before} failures: likely compromise"
        return [
            finding(
                self.name,
                "alert.login_compromise",
                "critical",
                event,
                (reason,),
                failures_before=before,
            )
        ]


def _keys(host: str | None, user: str | None) -> list[str]:
    if host:
        return [f"ip:{host}", f"user:{user}"] if user else [f"ip:{host}"]
    return [f"user:{user}"] if user else []
