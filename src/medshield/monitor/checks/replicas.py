"""Replicas behind: a ledger replica more than ``max_lag`` records behind the primary."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field

from medshield.monitor.checks.base import Finding, Window


class ReplicaLagCheck:
    name: ClassVar[str] = "replica_lag"

    class Params(BaseModel):
        model_config = {"extra": "forbid"}
        max_lag: int = Field(default=0, ge=0, description="Records a replica may be behind.")

    def __init__(self, params: BaseModel) -> None:
        assert isinstance(params, self.Params)
        self.params = params

    def run(self, ledger: Any, window: Window) -> list[Finding]:
        lags = getattr(ledger, "replica_lag", None)
        if lags is None:
            return []  # a ledger without replicas has nothing to lag
        return [
            Finding(
                check=self.name,
                subject=f"replica:{name}",
                count=lag,
                message=f"replica {name} is {lag} records behind (allowed {self.params.max_lag})",
                detail={"replica": name, "lag": lag},
            )
            for name, lag in sorted(lags().items())
            if lag > self.params.max_lag
        ]
