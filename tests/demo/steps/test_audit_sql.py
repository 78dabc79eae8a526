"""The demo's SQL audit step: ordinary statements served, malicious ones denied, all recorded."""

from __future__ import annotations

from pathlib import Path

from medshield.demo import DemoContext, run_demo
from medshield.demo.steps.audit_sql import BURST, AuditSqlStep
from medshield.ledger import open_ledger
from medshield.policy import load_bundle


def test_the_burst_is_audited_and_recorded(tmp_path: Path) -> None:
    said: list[str] = []
    ctx = DemoContext(workdir=tmp_path, bundle=load_bundle(None), patients=100, seed=7,
                      say=said.append)  # fmt: skip
    run_demo(ctx, [AuditSqlStep])
    counts = ctx.artifacts["audit_sql_counts"]
    assert counts["deny"] == 6 and counts["allow"] + counts["alert"] == 2
    text = "\n".join(said)
    assert "tautology OR 1 = 1" in text and "sleep()" in text and "sqlite_master" in text
    with open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        actions = [r.event.action for r in ledger.records()]
    assert actions.count("audit.query.statement") == len(BURST)
    assert actions.count("audit.query.release") == 2 and "lineage.process" in actions
