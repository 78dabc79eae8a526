from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medshield.errors import SensitivePayloadError
from medshield.ledger import Ledger
from medshield.lineage import FlowEdge, FlowGraph, downstream, graph_from_ledger, patient_flow


def test_where_did_the_table_go(ledger: Ledger, flow: dict[str, str]) -> None:
    hops = downstream(graph_from_ledger(ledger), "hosp_a/ods_visit")
    route = [(h.depth, h.edge.src, h.edge.dst, h.edge.form, h.edge.actor) for h in hops]
    assert route == [
        (1, "hosp_a/ods_visit", "hub/ods_visit", "raw", "etl"),
        (2, "hub/ods_visit", "hub/visit_masked", "masked", "mask-job"),
        (3, "hub/visit_masked", "research/cohort", "masked", "researcher-7"),
    ]


def test_a_step_that_left_before_the_data_arrived_does_not_carry_it(
    ledger: Ledger, flow: dict[str, str]
) -> None:
    graph = graph_from_ledger(ledger)
    assert "stats/early" not in {h.edge.dst for h in downstream(graph, "hosp_a/ods_visit")}
    assert "stats/early" in {h.edge.dst for h in downstream(graph, "hub/ods_visit")}
    # hospital B's data arrived at the hub after the masking job ran
    assert {h.edge.dst for h in downstream(graph, "hosp_b/ods_visit")} == {"hub/ods_visit"}


def test_where_did_this_patients_data_go(ledger: Ledger, flow: dict[str, str]) -> None:
    edges = patient_flow(graph_from_ledger(ledger), flow["a"])
    assert [(e.stage, e.form, e.actor) for e in edges] == [
        ("collect", "raw", "his-a"),
        ("transmit", "raw", "etl"),
        ("process", "masked", "mask-job"),
        ("share", "masked", "researcher-7"),
    ]
    assert edges == sorted(edges, key=lambda e: e.time_in)


def test_patient_query_refuses_a_raw_id(ledger: Ledger) -> None:
    with pytest.raises(SensitivePayloadError):
        patient_flow(graph_from_ledger(ledger), "110101199003077578")


T0 = datetime(2026, 1, 1, tzinfo=UTC)
NODES = [f"s/t{i}" for i in range(5)]
edge_specs = st.lists(
    st.tuples(
        st.sampled_from(NODES),
        st.sampled_from(NODES),
        st.integers(0, 20),
        st.integers(0, 5),
    ),
    max_size=12,
)


def _graph(specs: list[tuple[str, str, int, int]]) -> FlowGraph:
    graph = FlowGraph()
    for seq, (src, dst, t_in, length) in enumerate(specs, start=1):
        graph.add(
            FlowEdge(
                seq=seq,
                stage="share",
                src=src,
                dst=dst,
                form="raw",
                actor="u",
                time_in=T0 + timedelta(minutes=t_in),
                time_out=T0 + timedelta(minutes=t_in + length),
                rows=None,
                elements=(),
                levels=(),
                pseudonyms=frozenset(),
                job=None,
                institution=None,
            )  # fmt: skip
        )
    return graph


def _carried(graph: FlowGraph, start: str) -> set[int]:
    """By definition: edges ending some time-respecting path out of ``start`` (exhaustive)."""
    found: set[int] = set()

    def walk(node: str, since: datetime | None, used: frozenset[int]) -> None:
        for e in graph.out_edges(node):
            if e.seq in used or (since is not None and e.time_in < since):
                continue
            found.add(e.seq)
            if e.dst != node:
                walk(e.dst, e.time_out, used | {e.seq})

    walk(start, None, frozenset())
    return found


@settings(max_examples=150, deadline=None)
@given(edge_specs, st.sampled_from(NODES))
def test_downstream_is_exactly_the_time_respecting_reach(
    specs: list[tuple[str, str, int, int]], start: str
) -> None:
    graph = _graph(specs)
    assert {h.edge.seq for h in downstream(graph, start)} == _carried(graph, start)


def test_patient_flow_uses_the_index(pseudonym: Callable[[str], str]) -> None:
    assert patient_flow(FlowGraph(), pseudonym("x")) == []
