"""``medshield federated``: setup, nodes as processes, the hub's view, the request flow."""

from __future__ import annotations

import json
from pathlib import Path

from medshield.federated import Federation
from medshield.federated.launch import running_nodes
from medshield.ledger import open_ledger
from medshield.policy import load_bundle
from medshield.synth.alliance import build_alliance

from .conftest import Medshield


def test_setup_query_approve_run_and_refusals(medshield: Medshield, tmp_path: Path) -> None:
    bundle = load_bundle()
    build_alliance(tmp_path / "real", bundle=bundle, patients=200, seed=5)
    build_alliance(tmp_path / "mock", bundle=bundle, patients=60, seed=6)
    fed = tmp_path / "fed"
    args = ["federated", "setup", str(tmp_path / "real"), "--out", str(fed), "--format", "json"]
    code, out, err = medshield(*args, "--node", "h1", "--node", "h2", "--node", "m1")
    assert code == 0, err
    assert [r["node"] for r in json.loads(out)] == ["h1", "h2", "m1"]
    with running_nodes(Federation.read(fed).nodes):
        code, out, err = medshield(
            "federated", "hub", str(fed), "patient_count", "--format", "json"
        )
        assert code == 0, err
        seen = json.loads(out)
        assert [r["from"] for r in seen] == ["h1", "h2", "m1", "sum"]
        code, out, err = medshield("federated", "hub", str(fed), "all_rows")
        assert code == 1 and err.startswith("error[MS961]")
        code, out, err = medshield(
            "federated", "query", "submit", str(fed), "patient_age_mean",
            "--requester", "dr-li", "--mock", str(tmp_path / "mock"), "--format", "json",
        )  # fmt: skip
        assert code == 0, err
        request_id = json.loads(out)[0]["value"]
        code, out, err = medshield("federated", "query", "run", str(fed), request_id)
        assert code == 1 and err.startswith("error[MS964]")
        for node in ("h1", "h2", "m1"):
            medshield(
                "federated", "query", "approve", str(fed), request_id,
                "--approver", f"owner-{node}", "--role", "owner", "--institution", node,
            )  # fmt: skip
        code, out, err = medshield(
            "federated", "query", "approve", str(fed), request_id,
            "--approver", "ethics_committee", "--role", "committee", "--format", "json",
        )  # fmt: skip
        assert json.loads(out)[0]["still_needed"] == "-"
        code, out, err = medshield(
            "federated", "query", "run", str(fed), request_id, "--format", "json"
        )
        assert code == 0, err
        rows = {r["item"]: r["value"] for r in json.loads(out)}
        assert 0 <= rows["value"] <= 110 and rows["epsilon"] == 1.0
        code, out, err = medshield("federated", "psi", str(fed), "h1", "h2", "--format", "json")
        assert code == 0 and json.loads(out)[0]["shared_patients"] >= 0
    with open_ledger(Federation.read(fed).ledger) as ledger:
        actions = [r.event.action for r in ledger.records()]
    for action in ("federated.inspect", "federated.request.submit", "federated.release"):
        assert action in actions
    assert actions[-1] == "federated.psi"
