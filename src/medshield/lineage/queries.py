"""Questions to the flow graph: where did a table go, where did a patient's data go (R15)."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

from medshield.lineage.graph import FlowEdge, FlowGraph
from medshield.lineage.steps import check_pseudonym, split_node


@dataclass(frozen=True)
class Hop:
    """One step downstream of the table asked about, ``depth`` steps away from it."""

    depth: int
    edge: FlowEdge

    def as_row(self) -> dict[str, Any]:
        return {"depth": self.depth, **self.edge.as_row()}


def downstream(graph: FlowGraph, node: str) -> list[Hop]:
    """Every step that carried data of ``node`` onward, in time order.

    A step out of a table carries ``node``'s data only if it started after that data arrived
    there, so the walk follows each table's earliest arrival time (a Dijkstra over time).
    """
    split_node(node)
    arrival: dict[str, float] = {node: float("-inf")}  # the data was in ``node`` from the start
    depth: dict[str, int] = {node: 0}
    queue: list[tuple[float, str]] = [(float("-inf"), node)]
    taken: dict[int, Hop] = {}
    while queue:
        since, current = heapq.heappop(queue)
        if since > arrival[current]:
            continue  # a stale entry: the data reached this table earlier by another path
        for edge in graph.out_edges(current):
            if edge.seq in taken or edge.time_in.timestamp() < since:
                continue
            taken[edge.seq] = Hop(depth[current] + 1, edge)
            reached = edge.time_out.timestamp()
            if edge.dst != current and reached < arrival.get(edge.dst, float("inf")):
                arrival[edge.dst] = reached
                depth[edge.dst] = depth[current] + 1
                heapq.heappush(queue, (reached, edge.dst))
    return sorted(taken.values(), key=lambda h: (h.edge.time_in, h.edge.seq))


def upstream(graph: FlowGraph, node: str) -> list[FlowEdge]:
    """The steps that brought data into ``node`` (one level up)."""
    split_node(node)
    return sorted(graph.in_edges(node), key=lambda e: (e.time_in, e.seq))


def patient_flow(graph: FlowGraph, pseudonym: str) -> list[FlowEdge]:
    """Every step that carried data of the patient with this keyed pseudonym, in time order."""
    check_pseudonym(pseudonym)
    return sorted(graph.patient_edges(pseudonym), key=lambda e: (e.time_in, e.seq))
