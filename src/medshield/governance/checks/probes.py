"""Failing probes: ``probe.*`` events refused or alerting in the last week, by API."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from medshield.governance.checks.base import Finding, LoopContext


class ProbeCheck:
    name: ClassVar[str] = "failing_probes"
    zh: ClassVar[str] = "拨测失败"
    suggestion: ClassVar[str] = "修复失败接口并复核其接口目录条目"
    days: ClassVar[float] = 7.0

    def run(self, ctx: LoopContext) -> list[Finding]:
        failures = Counter(
            r.event.object.api or str(r.event.detail.get("api", "?"))
            for r in ctx.recent("probe.", self.days)
            if r.event.outcome in ("deny", "alert")
        )
        return [Finding(self.name, api, n, f"{n} failed probes of {api} in {self.days:g} days")
                for api, n in sorted(failures.items())]  # fmt: skip
