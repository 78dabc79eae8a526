"""Alert storms: too many ``alert`` events within the window (a fault or an attack in progress)."""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from medshield.monitor.checks.base import Finding, Window

MONITOR_PREFIX = "alert."  # the monitor's own findings are not counted again
# ... but the log detectors' alerts (alert.<detector>, with detail["detector"]) are


class AlertStormCheck:
    name: ClassVar[str] = "alert_storm"

    class Params(BaseModel):
        model_config = {"extra": "forbid"}
        threshold: int = Field(default=50, ge=1, description="Alert events per window that alert.")

    def __init__(self, params: BaseModel) -> None:
        assert isinstance(params, self.Params)
        self.params = params

    def run(self, ledger: Any, window: Window) -> list[Finding]:
        actions: Counter[str] = Counter(
            r.event.action
            for r in window.records
            if r.event.outcome == "alert"
            and (not r.event.action.startswith(MONITOR_PREFIX) or "detector" in r.event.detail)
        )
        total = sum(actions.values())
        if total < self.params.threshold:
            return []
        top = ", ".join(f"{a} x{n}" for a, n in actions.most_common(3))
        return [
            Finding(
                check=self.name,
                subject="ledger",
                count=total,
                message=f"{total} alerts within {window.length} (threshold"
                f" {self.params.threshold}); most: {top}",
                detail={"actions": dict(actions.most_common(10))},
            )
        ]
