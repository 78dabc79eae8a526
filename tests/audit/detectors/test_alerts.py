"""Detector findings are ``alert.*`` events: notify routes them, plans open incidents on them,
the audit report and the alert-storm check count them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from medshield.audit.detectors import DETECTORS, DetectorContext, Finding, LogAudit
from medshield.audit.detectors.log_run import LogRun
from medshield.audit.detectors.record import LedgerRecorder
from medshield.audit.sources import SOURCES
from medshield.audit.sources.base import BadLine
from medshield.governance.incidents import open_from_alerts
from medshield.ledger import open_ledger
from medshield.monitor import Window
from medshield.monitor.checks.storm import AlertStormCheck
from medshield.notify import Notifier, forward_alerts
from medshield.notify.channels.recording import RecordingChannel
from medshield.policy import load_bundle
from medshield.policy.notify import NotifySection
from medshield.reports import build_report

SECTION = NotifySection.model_validate({
    "channels": [{"id": "soc", "kind": "recording"}],
    "routes": [{"min_severity": "high", "channels": ["soc"]}],
    "dedup_seconds": 0,
})  # fmt: skip


def _attack(path: Path) -> None:
    lines = [
        f"2026-12-01T18:00:{i:02d}+00:00 h sshd[{100 + i}]: Failed password for dba from "
        f"203.0.113.7 port {4000 + i} ssh2\n"
        for i in range(12)
    ]
    lines.append(
        "2026-12-01T18:01:00+00:00 h sshd[200]: Accepted password for dba from 203.0.113.7 "
        "port 4100 ssh2\n"
    )
    path.write_text("".join(lines))


def test_findings_are_alerts_that_reach_the_channels_plans_and_reports(
    ctx: DetectorContext, tmp_path: Path, sqlite_url: str
) -> None:
    log = tmp_path / "auth.log"
    _attack(log)
    emitted: list[Finding | BadLine] = []
    with open_ledger(sqlite_url) as ledger:
        audit = LogAudit(SOURCES.get("sshd")(), ctx, DETECTORS)
        LogRun(audit, log, emitted.append, LedgerRecorder(ledger, log, "sshd")).batch()
        detectors = sorted({f.detector for f in emitted if isinstance(f, Finding)})
        assert detectors == ["login_compromise", "login_failures", "remote_access"]
        alerts = [r for r in ledger.records() if r.event.outcome == "alert"]
        assert {r.event.action for r in alerts} == {f"alert.{d}" for d in detectors}
        assert all(r.event.detail["detector"] in detectors for r in alerts)
        since, until = datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 2, tzinfo=UTC)
        window = Window(since, until, list(ledger.records()))
        storm = AlertStormCheck(AlertStormCheck.Params(threshold=3)).run(ledger, window)
        assert [f.count for f in storm] == [3]  # counted, though named alert.* like its own

        channel = RecordingChannel()
        assert forward_alerts(ledger, Notifier(ledger, SECTION, {"soc": channel})) == 3  # type: ignore[dict-item]
        routed = {a.kind: a.severity for a in channel.delivered}
        assert routed == {"alert.login_failures": "high", "alert.login_compromise": "critical",
                          "alert.remote_access": "high"}  # fmt: skip

        opened = open_from_alerts(ledger, load_bundle(), "secadmin-01")
        assert [i.incident_class for i in opened] == ["external_attack"]  # alert.login_failures

        rep = build_report("audit", ledger, load_bundle(), since, until)
        hits = {r["rule"]: r["count"] for r in rep.section("rule_hits").rows}
        assert hits == {"login_failures": 1, "login_compromise": 1, "remote_access": 1}
        assert {r["action"] for r in rep.section("alerts").rows} >= {"alert.login_failures"}
