"""The data-flow graph (R15): lifecycle steps recorded in the ledger, queried and exported."""

from medshield.lineage.graph import FlowEdge, FlowGraph, build_graph, graph_from_ledger
from medshield.lineage.queries import Hop, downstream, patient_flow, upstream
from medshield.lineage.steps import ACTION_PREFIX, check_pseudonym, lineage_event, record_step

__all__ = [
    "ACTION_PREFIX",
    "FlowEdge",
    "FlowGraph",
    "Hop",
    "build_graph",
    "check_pseudonym",
    "downstream",
    "graph_from_ledger",
    "lineage_event",
    "patient_flow",
    "record_step",
    "upstream",
]
