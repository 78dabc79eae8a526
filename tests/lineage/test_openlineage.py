from __future__ import annotations

import json
from pathlib import Path

from openlineage.client.event_v2 import RunEvent

from medshield.ledger import Ledger
from medshield.lineage import graph_from_ledger
from medshield.lineage.openlineage import run_event, to_dicts, write_jsonl


def test_each_step_is_one_complete_run_event(ledger: Ledger, flow: dict[str, str]) -> None:
    graph = graph_from_ledger(ledger)
    events = to_dicts(graph)
    assert len(events) == len(graph)
    share = next(e for e in events if e["run"]["facets"]["medshield_lifecycle"]["stage"] == "share"
                 and e["outputs"][0]["name"] == "cohort")  # fmt: skip
    assert share["eventType"] == "COMPLETE"
    assert share["inputs"] == [{"namespace": "hub", "name": "visit_masked", "facets": {},
                                "inputFacets": {}}]  # fmt: skip
    assert share["outputs"][0]["namespace"] == "research"
    facet = share["run"]["facets"]["medshield_lifecycle"]
    assert facet["form"] == "masked" and facet["actor"] == "researcher-7"
    assert facet["patients"] == 1
    assert len({e["run"]["runId"] for e in events}) == len(events)


def test_export_never_carries_pseudonyms(
    ledger: Ledger, flow: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "lineage.jsonl"
    assert write_jsonl(graph_from_ledger(ledger), out) == 7
    text = out.read_text(encoding="utf-8")
    assert flow["a"] not in text and flow["b"] not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert all(line["schemaURL"].endswith("RunEvent") for line in lines)


def test_run_ids_are_stable(ledger: Ledger, flow: dict[str, str]) -> None:
    edge = next(iter(graph_from_ledger(ledger)))
    first, second = run_event(edge), run_event(edge)
    assert isinstance(first, RunEvent) and first.run.runId == second.run.runId
