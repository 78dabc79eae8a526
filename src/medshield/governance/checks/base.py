"""The shape of a closed-loop check (R32): a small class with a ``name``, a ``suggestion`` (the
policy change it asks for when it finds something) and ``run(ctx) -> findings``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar, Protocol

from sqlalchemy import Engine

from medshield.ledger import Ledger, LedgerRecord
from medshield.monitor.checks import Finding
from medshield.policy import PolicyBundle


@dataclass(frozen=True)
class LoopContext:
    ledger: Ledger
    bundle: PolicyBundle
    now: datetime
    store: Engine | None = None  # the catalogue's store; catalogue checks skip without it

    def recent(self, prefix: str, days: float) -> list[LedgerRecord]:
        since = self.now - timedelta(days=days)
        return list(self.ledger.records(since=since, until=self.now, action_prefix=prefix))


class LoopCheck(Protocol):
    name: ClassVar[str]
    zh: ClassVar[str]
    suggestion: ClassVar[str]

    def run(self, ctx: LoopContext) -> list[Finding]: ...


__all__ = ["Finding", "LoopCheck", "LoopContext"]
