"""``medshield ledger check``: findings recorded as alert events; repeated runs."""

from __future__ import annotations

import json

import pytest

from medshield.ledger import Event, open_ledger

from .conftest import Medshield


def test_denial_burst_found_recorded_once(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, medshield: Medshield
) -> None:
    monkeypatch.setenv("MEDSHIELD_STORE_URL", sqlite_url)
    with open_ledger(sqlite_url) as ledger:
        ledger.append_many([Event(action="api.call", actor="app-9", outcome="deny",
                                  source_ip="10.11.0.7") for _ in range(4)])  # fmt: skip
    args = ["ledger", "check", "--window", "10m", "--deny-threshold", "4", "--format", "jsonl"]
    code, out, err = medshield(*args, "--fail-on-finding")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 3, err
    assert {r["subject"] for r in rows} == {"actor:app-9", "ip:10.11.0.7"}
    assert all(r["alert_seq"] for r in rows)
    code, out, _ = medshield(*args, "--every", "0.01", "--max-runs", "2")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {r["run"] for r in rows} == {1, 2}
    assert not any(r["alert_seq"] for r in rows)  # already recorded in this window
    with open_ledger(sqlite_url) as ledger:
        assert len(list(ledger.records(action_prefix="alert.deny_burst"))) == 2
        assert ledger.verify().ok


def test_quiet_ledger_has_no_findings(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, medshield: Medshield
) -> None:
    monkeypatch.setenv("MEDSHIELD_STORE_URL", sqlite_url)
    code, out, _ = medshield("ledger", "check", "--fail-on-finding")
    assert code == 0 and "no findings" in out
    code, _, err = medshield("ledger", "check", "--window", "5x")
    assert code == 1 and err.startswith("error[MS300]")
