"""Ledger replicas behind the primary (the replicas of MEDSHIELD_LEDGER_REPLICAS)."""

from __future__ import annotations

from typing import ClassVar

from medshield.governance.checks.base import Finding, LoopContext
from medshield.ledger.replica import replica_status


class ReplicaCheck:
    name: ClassVar[str] = "replicas_behind"
    zh: ClassVar[str] = "账本副本落后"
    suggestion: ClassVar[str] = "缩短副本同步周期并监控同步延迟"

    def run(self, ctx: LoopContext) -> list[Finding]:
        if not ctx.ledger.replicas:
            return []
        return [
            Finding(self.name, s.location, s.lag_records,
                    f"replica {s.location} is {s.lag_records} records behind")
            for s in replica_status(ctx.ledger)
            if s.lag_records > 0
        ]  # fmt: skip
