"""Replicas behind: a ledger replica missing too many records, or missing them for too long.

A replica that cannot be read, or that has diverged from the primary, is a critical finding:
the audit log's disaster recovery (R16) is then not there when it is needed.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field
from sqlalchemy.engine import make_url

from medshield.errors import MedshieldError
from medshield.ledger.replica import replica_status
from medshield.monitor.checks.base import Finding, Window


def _safe(location: str) -> str:
    """A replica URL without its password (folders as they are)."""
    if "://" not in location:
        return location
    return make_url(location).render_as_string(hide_password=True)


class ReplicaLagCheck:
    name: ClassVar[str] = "replica_lag"

    class Params(BaseModel):
        model_config = {"extra": "forbid"}
        max_records: int = Field(default=1000, ge=0, description="Records a replica may lack.")
        max_seconds: float = Field(
            default=300.0, ge=0, description="Age of the oldest record a replica may lack."
        )

    def __init__(self, params: BaseModel) -> None:
        assert isinstance(params, self.Params)
        self.params = params

    def run(self, ledger: Any, window: Window) -> list[Finding]:
        findings: list[Finding] = []
        for replica in ledger.replicas:
            location = _safe(replica)
            try:
                [status] = replica_status(ledger, [replica])
            except MedshieldError as exc:
                findings.append(
                    Finding(
                        check=self.name,
                        subject=f"replica:{location}",
                        count=1,
                        severity="critical",
                        message=f"replica {location}: {exc.message}",
                        detail={"replica": location, "error": exc.code},
                    )  # fmt: skip
                )
                continue
            p = self.params
            if status.lag_records > p.max_records or status.lag_seconds > p.max_seconds:
                findings.append(
                    Finding(
                        check=self.name,
                        subject=f"replica:{location}",
                        count=status.lag_records,
                        message=f"replica {location} is {status.lag_records} records"
                        f" ({status.lag_seconds:.0f} s) behind; allowed {p.max_records}"
                        f" records, {p.max_seconds:.0f} s",
                        detail={
                            "replica": location,
                            "lag_records": status.lag_records,
                            "lag_seconds": round(status.lag_seconds, 3),
                        },  # fmt: skip
                    )
                )
        return findings
