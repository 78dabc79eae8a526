"""The compliance report (R35): every figure with the ledger sequence numbers that prove it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from medshield.ledger import Event, Ledger, LedgerRecord
from medshield.reports.labels import label
from medshield.reports.model import Report, Section
from medshield.reports.seqs import SeqRanges


def _detail_int(key: str) -> Callable[[Event], int]:
    return lambda e: int(e.detail.get(key) or 0)


def _one(_event: Event) -> int:
    return 1


# figure -> (the events it counts, how much one event adds)
FIGURES: dict[str, tuple[Callable[[Event], bool], Callable[[Event], int]]] = {
    "columns_scanned": (lambda e: e.action == "catalog.scan", _detail_int("columns")),
    "columns_classified": (lambda e: e.action == "catalog.scan", _detail_int("classified")),
    "mask_jobs": (lambda e: e.action == "mask.job", _one),
    "released_records": (lambda e: e.action == "gateway.call", lambda e: e.rows or 0),
    "under_control": (lambda e: e.action == "gateway.call", _detail_int("under_control")),
    "consent_requests": (lambda e: e.action == "consent.request", _one),
    "consent_grants": (lambda e: e.action == "consent.grant", _one),
    "consent_refusals": (lambda e: e.action == "consent.refuse", _one),
    "tokens_issued": (lambda e: e.action == "token.issued", _one),
    "tokens_revoked": (lambda e: e.action == "token.revoked", _one),
    "token_findings": (
        lambda e: e.action == "governance.finding" and "token" in str(e.detail.get("check")),
        _one,
    ),
    "destruction_certificates": (lambda e: e.action == "lifecycle.destroy", _one),
    "rows_destroyed": (lambda e: e.action == "lifecycle.destroy", _detail_int("rows")),
    "retention_destructions": (
        lambda e: e.action == "lifecycle.destroy" and bool(e.detail.get("retention_rule")),
        _one,
    ),
}
RATIOS = {
    "classification_coverage": ("columns_classified", "columns_scanned"),
    "masking_coverage": ("under_control", "released_records"),
}


class ComplianceReportBuilder:
    def __init__(self, lang: str = "zh") -> None:
        self.lang = lang
        self.values: defaultdict[str, int] = defaultdict(int)
        self.seqs: defaultdict[str, SeqRanges] = defaultdict(SeqRanges)
        self.read = 0

    def add(self, record: LedgerRecord) -> None:
        self.read += 1
        for name, (counts, amount) in FIGURES.items():
            if counts(record.event):
                self.values[name] += amount(record.event)
                self.seqs[name].add(record.seq)

    def report(self, since: datetime, until: datetime) -> Report:
        rep = Report("compliance", since, until, self.lang, self.read)
        rows = [
            {"metric": label(n, self.lang), "key": n, "value": self.values[n],
             "seqs": self.seqs[n].text()}
            for n in FIGURES
        ]  # fmt: skip
        for name, (part, whole) in RATIOS.items():
            total = self.values[whole]
            seqs = self.seqs[part].union(self.seqs[whole])
            rows.append({
                "metric": label(name, self.lang), "key": name,
                "value": round(self.values[part] / total, 4) if total else None,
                "seqs": seqs.text(),
            })  # fmt: skip
        rep.sections.append(Section("figures", ["metric", "value", "seqs"], rows))
        return rep


def build_compliance_report(
    ledger: Ledger, since: datetime, until: datetime, lang: str = "zh"
) -> Report:
    builder = ComplianceReportBuilder(lang)
    for record in ledger.records(since=since, until=until):
        builder.add(record)
    return builder.report(since, until)
