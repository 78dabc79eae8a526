"""An alert: what happened, how bad, whose it is; and the text channels send."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from medshield.policy.notify import Severity

SEVERITY_ZH = {"low": "低", "medium": "中", "high": "高", "critical": "严重"}


@dataclass(frozen=True)
class Alert:
    kind: str  # e.g. "probe.failed", "gateway.response_blocked"
    severity: Severity
    title: str
    body: str = ""
    subject: str = ""  # what it is about: an API, an account, an address
    team: str | None = None
    institution: str | None = None
    seq: int | None = None  # the ledger seq of its ``notify.alert`` event, once raised
    source_seq: int | None = None  # the ledger event it was raised from, if any

    @property
    def fingerprint(self) -> str:
        """Alerts with the same fingerprint within the de-duplication window are one alert."""
        key = "|".join((self.kind, self.subject, self.institution or "", self.team or ""))
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def text(self) -> str:
        head = f"【medshield 告警·{SEVERITY_ZH[self.severity]}】{self.title}"
        ref = f"（编号 {self.seq}）" if self.seq is not None else ""
        return f"{head}{ref}\n{self.body}".rstrip()
