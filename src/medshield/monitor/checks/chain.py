"""Chain breaks: the ledger's hash chain (and checkpoints) must verify."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel

from medshield.errors import LedgerIntegrityError
from medshield.monitor.checks.base import Finding, Window
from medshield.registry import NoParams


class ChainCheck:
    name: ClassVar[str] = "chain"
    Params: ClassVar[type[BaseModel]] = NoParams

    def __init__(self, params: BaseModel) -> None:
        self.params = params

    def run(self, ledger: Any, window: Window) -> list[Finding]:
        try:
            report = ledger.verify()
        except LedgerIntegrityError as exc:
            return [self._finding(None, exc.message, None)]
        if report.ok:
            return []
        first = getattr(report, "first_bad_seq", None)
        problem = getattr(report, "problem", None) or "the chain does not verify"
        return [self._finding(first, problem, getattr(report, "checked", None))]

    def _finding(self, first: int | None, problem: str, checked: int | None) -> Finding:
        return Finding(
            check=self.name,
            subject="ledger",
            count=1,
            severity="critical",
            message=f"ledger chain broken at seq {first}: {problem}",
            detail={"first_bad_seq": first, "checked": checked},
        )
