"""Audit and compliance reports: exact numbers, and the ledger seqs behind each figure verify."""

from __future__ import annotations

from medshield.ledger import Ledger
from medshield.ledger.export import export_range, verify_export
from medshield.policy import PolicyBundle
from medshield.reports import build_report

from .history import WINDOW


def test_audit_report(ledger: Ledger, bundle: PolicyBundle) -> None:
    rep = build_report("audit", ledger, bundle, *WINDOW)
    hits = {r["rule"]: r["count"] for r in rep.section("rule_hits").rows}
    assert hits == {"select_star": 1, "no_where": 1, "bulk_export": 1}
    alerts = {r["action"]: (r["count"], r["seqs"]) for r in rep.section("alerts").rows}
    assert alerts == {"gateway.call": (1, "5"), "probe.result": (1, "7"),
                      "audit.sql.statement": (1, "8"), "alert.bulk_export": (1, "9")}  # fmt: skip
    assert [r["value"] for r in rep.section("incidents").rows] == [1, 0]
    accounts = {r["account"]: r["count"] for r in rep.section("top_accounts").rows}
    assert accounts == {"token:h1": 3, "token:m1": 2, "dba1": 1, "dba2": 1}
    assert {r["table"] for r in rep.section("top_tables").rows} == {"patient", "visit"}


def test_compliance_figures_carry_their_seqs(ledger: Ledger, bundle: PolicyBundle) -> None:
    rep = build_report("compliance", ledger, bundle, *WINDOW)
    figures = {r["key"]: (r["value"], r["seqs"]) for r in rep.section("figures").rows}
    assert figures["columns_scanned"] == (40, "11")
    assert figures["classification_coverage"] == (0.75, "11")
    assert figures["released_records"] == (16, "1-5")
    assert figures["masking_coverage"] == (round(7 / 16, 4), "1-5")
    assert figures["consent_grants"] == (1, "13")
    assert figures["consent_refusals"] == (0, "")
    assert figures["destruction_certificates"] == (1, "14")
    assert figures["rows_destroyed"] == (12, "14")
    assert figures["retention_destructions"] == (1, "14")


def test_the_proving_ranges_export_and_verify(
    ledger: Ledger, bundle: PolicyBundle, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    rep = build_report("compliance", ledger, bundle, *WINDOW)
    row = next(r for r in rep.section("figures").rows if r["key"] == "released_records")
    first, last = (int(x) for x in row["seqs"].split("-"))
    out = tmp_path / "proof.jsonl"
    export_range(ledger, out, first, last)
    assert verify_export(out).ok
