"""``medshield risk``: list, assess (by role), history, signals, heat map and exports."""

from __future__ import annotations

import json
from pathlib import Path

from medshield.ledger import Event, open_ledger

from .conftest import Medshield


def test_register_assessment_and_exports(tmp_path: Path, medshield: Medshield) -> None:
    store = f"sqlite:///{tmp_path / 'store.db'}"
    code, out, _ = medshield("risk", "list", "--store", store, "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 12 and rows[0]["band"] == "critical"
    code, _, err = medshield("risk", "assess", "RK10", "-l", "3", "-s", "2", "--actor",
                             "doctor-01", "--reason", "x", "--store", store)  # fmt: skip
    assert code == 1 and err.startswith("error[MS941]")
    code, _, err = medshield("risk", "assess", "RK10", "-l", "6", "-s", "2", "--actor",
                             "office-01", "--reason", "x", "--store", store)  # fmt: skip
    assert code == 1 and err.startswith("error[MS945]")
    code, _, _ = medshield("risk", "assess", "RK10", "-l", "3", "-s", "3", "--actor",
                           "office-01", "--reason", "告警增多", "--store", store)  # fmt: skip
    assert code == 0
    code, out, _ = medshield("risk", "history", "RK10", "--store", store, "--format", "json")
    assert [r["score"] for r in json.loads(out)] == [4, 9]
    for name in ("map.svg", "map.html", "reg.csv", "reg.json"):
        verb = "heatmap" if name.startswith("map") else "export"
        assert medshield("risk", verb, "--out", str(tmp_path / name), "--store", store)[0] == 0
    assert (tmp_path / "map.svg").read_text(encoding="utf-8").startswith("<svg")
    assert "RK10,流量异常风险,3,3,9,moderate" in (tmp_path / "reg.csv").read_text(encoding="utf-8")
    code, _, err = medshield(
        "risk", "export", "--out", str(tmp_path / "reg.xlsx"), "--store", store
    )
    assert code == 1 and "error[MS300]" in err


def test_signals_then_confirm(tmp_path: Path, medshield: Medshield) -> None:
    store = f"sqlite:///{tmp_path / 'store.db'}"
    with open_ledger(store) as ledger:
        ledger.append_many([Event(action="alert.deny_burst", actor="m", outcome="alert")] * 5)
    code, out, _ = medshield("risk", "signals", "--actor", "supervisor-01", "--store", store,
                             "--format", "json")  # fmt: skip
    [proposal] = json.loads(out)
    assert (proposal["risk"], proposal["proposed"]) == ("RK10", 3)
    code, out, _ = medshield("risk", "confirm", str(proposal["seq"]), "--actor", "office-01",
                             "--reason", "属实", "--store", store, "--format", "json")  # fmt: skip
    assert code == 0 and json.loads(out)[0]["status"] == "confirmed"
