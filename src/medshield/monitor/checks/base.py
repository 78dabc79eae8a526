"""The shape of a ledger check: a small class with a ``name``, ``Params`` and ``run``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel


@dataclass(frozen=True)
class Window:
    """The stretch of time a check looks at, and the records appended in it."""

    start: datetime
    end: datetime
    records: Sequence[Any]  # LedgerRecord: seq, at, event, prev_hash, hash

    @property
    def length(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Finding:
    """Something a check found. ``subject`` says who or what (an actor, an IP, a replica)."""

    check: str
    subject: str
    count: int
    message: str
    severity: str = "high"
    detail: dict[str, Any] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "subject": self.subject,
            "count": self.count,
            "severity": self.severity,
            "message": self.message,
        }


class LedgerCheck(Protocol):
    name: ClassVar[str]
    Params: ClassVar[type[BaseModel]]

    def __init__(self, params: BaseModel) -> None: ...

    def run(self, ledger: Any, window: Window) -> list[Finding]:
        """The findings of this check over ``window`` of ``ledger``."""
        ...
