from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from medshield.errors import LedgerError
from medshield.ledger import Event, Ledger, open_ledger
from medshield.lineage import build_graph, downstream, graph_from_ledger, record_step


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


@pytest.mark.postgres
def test_graph_from_a_postgres_ledger(
    postgres_url: str, pseudonym: Callable[[str], str], at: Callable[[float], datetime]
) -> None:
    p = pseudonym("440301198512120019")
    with open_ledger(postgres_url) as ledger:
        for minute, stage, src, dst in [
            (0, "collect", "h1_his/病历", "hub/病历"),
            (5, "share", "hub/病历", "科研/队列"),
        ]:
            record_step(ledger, stage=stage, actor="etl", from_=src, to=dst, form="raw",
                        time_in=at(minute), time_out=at(minute + 1), pseudonyms=[p])  # fmt: skip
        graph = graph_from_ledger(ledger)
        assert [h.edge.dst for h in downstream(graph, "h1_his/病历")] == ["hub/病历", "科研/队列"]
        assert len(graph.patient_edges(p)) == 2
        assert ledger.verify().ok


def test_a_malformed_lineage_record_is_named(ledger: Ledger, flow: dict[str, str]) -> None:
    receipt = ledger.append(Event(action="lineage.share", actor="x", detail={"form": "raw"}))
    with pytest.raises(LedgerError, match="malformed") as info:
        graph_from_ledger(ledger)
    assert info.value.where == f"seq {receipt.seq}"
