"""The audit report: rule hits, alerts, incidents, top accounts and tables, in one pass."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from medshield.ledger import Ledger, LedgerRecord
from medshield.reports.labels import label
from medshield.reports.model import Chart, Report, Section
from medshield.reports.seqs import SeqRanges

TOP = 10
AUDITED = ("audit.", "query.", "gateway.call")
LOG_ALERT = "alert."  # a log detector's finding: alert.<detector> with detail["detector"]


class AuditReportBuilder:
    def __init__(self, lang: str = "zh") -> None:
        self.lang = lang
        self.rules: Counter[str] = Counter()
        self.alerts: Counter[str] = Counter()
        self.alert_seqs: dict[str, SeqRanges] = {}
        self.incidents: Counter[str] = Counter()
        self.accounts: Counter[str] = Counter()
        self.tables: Counter[str] = Counter()
        self.read = 0

    def add(self, record: LedgerRecord) -> None:
        self.read += 1
        event = record.event
        action = event.action
        detector = action.startswith(LOG_ALERT) and "detector" in event.detail
        if detector or action.startswith("audit.log."):  # audit.log.*: ledgers before alert.*
            self.rules[action.removeprefix(LOG_ALERT).removeprefix("audit.log.")] += 1
        elif action.startswith("audit.sql.") or action.startswith("audit.query."):
            for finding in event.detail.get("findings") or ():
                self.rules[str(finding.get("rule"))] += 1
        if event.outcome == "alert":
            self.alerts[action] += 1
            self.alert_seqs.setdefault(action, SeqRanges()).add(record.seq)
        if action in ("incident.opened", "incident.closed"):
            self.incidents[action.removeprefix("incident.")] += 1
        if action.startswith(AUDITED) or detector:
            self.accounts[event.actor] += 1
            tables = event.detail.get("tables") or (
                [event.object.table] if event.object.table else []
            )
            for table in tables:
                self.tables[str(table)] += 1

    def report(self, since: datetime, until: datetime) -> Report:
        rep = Report("audit", since, until, self.lang, self.read)
        rules = [{"rule": r, "count": n} for r, n in self.rules.most_common()]
        rep.sections.append(
            Section("rule_hits", ["rule", "count"], rules,
                    chart=Chart.of("bar", rules, "rule", "count"))
        )  # fmt: skip
        rep.sections.append(
            Section("alerts", ["action", "count", "seqs"], [
                {"action": a, "count": n, "seqs": self.alert_seqs[a].text()}
                for a, n in self.alerts.most_common()
            ])
        )  # fmt: skip
        rep.sections.append(
            Section("incidents", ["metric", "value"], [
                {"metric": label(k, self.lang), "value": self.incidents.get(k, 0)}
                for k in ("opened", "closed")
            ])
        )  # fmt: skip
        rep.sections.append(
            Section("top_accounts", ["account", "count"], [
                {"account": a, "count": n} for a, n in self.accounts.most_common(TOP)
            ])
        )  # fmt: skip
        rep.sections.append(
            Section("top_tables", ["table", "count"], [
                {"table": t, "count": n} for t, n in self.tables.most_common(TOP)
            ])
        )  # fmt: skip
        return rep


def build_audit_report(
    ledger: Ledger, since: datetime, until: datetime, lang: str = "zh"
) -> Report:
    builder = AuditReportBuilder(lang)
    for record in ledger.records(since=since, until=until):
        builder.add(record)
    return builder.report(since, until)
