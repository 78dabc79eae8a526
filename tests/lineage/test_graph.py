from __future__ import annotations

from medshield.ledger import Event, Ledger
from medshield.lineage import build_graph, graph_from_ledger


def test_graph_holds_every_lineage_step_and_skips_other_events(
    ledger: Ledger, flow: dict[str, str]
) -> None:
    ledger.append(Event(action="api.call", actor="doctor-1"))
    graph = graph_from_ledger(ledger)
    assert len(graph) == 7
    assert "hub/ods_visit" in graph and "api" not in " ".join(graph.nodes)
    assert {e.src for e in graph.in_edges("hub/ods_visit")} == {
        "hosp_a/ods_visit",
        "hosp_b/ods_visit",
    }
    assert [e.stage for e in graph.patient_edges(flow["b"])] == ["collect", "transmit"]
    seqs = [r.seq for r in ledger.records(action_prefix="lineage.")]
    assert [e.seq for e in graph] == seqs


def test_build_graph_reads_any_record_sequence(ledger: Ledger, flow: dict[str, str]) -> None:
    records = list(ledger.records())
    assert len(build_graph(records)) == len(build_graph(reversed(records)))
    assert len(build_graph(records[:2])) == 2
