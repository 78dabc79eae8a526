"""Bursts of denials: one actor or one IP denied too often within the window."""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from medshield.monitor.checks.base import Finding, Window


class DenialBurstCheck:
    name: ClassVar[str] = "deny_burst"

    class Params(BaseModel):
        model_config = {"extra": "forbid"}
        threshold: int = Field(default=20, ge=1, description="Denials per window that alert.")

    def __init__(self, params: BaseModel) -> None:
        assert isinstance(params, self.Params)
        self.params = params

    def run(self, ledger: Any, window: Window) -> list[Finding]:
        counts: Counter[tuple[str, str]] = Counter()
        for record in window.records:
            event = record.event
            if event.outcome == "deny":
                counts[("actor", event.actor)] += 1
                if event.source_ip:
                    counts[("ip", event.source_ip)] += 1
        return [
            Finding(
                check=self.name,
                subject=f"{kind}:{who}",
                count=count,
                message=f"{count} denials for {kind} {who} within {window.length}"
                f" (threshold {self.params.threshold})",
                detail={"kind": kind, "who": who},
            )
            for (kind, who), count in sorted(counts.items())
            if count >= self.params.threshold
        ]
