"""The data-flow graph: ``lineage.*`` ledger records as a small directed multigraph (R15).

Nodes are ``source/table`` names; each edge is one lifecycle step with its stage, form, actor,
times, rows, elements, levels and patient pseudonyms, and the ledger ``seq`` it came from, so
every answer can be traced back to a verifiable ledger record.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from medshield.errors import LedgerError
from medshield.lineage.steps import ACTION_PREFIX


class RecordLike(Protocol):
    """What the graph reads of a ledger record."""

    @property
    def seq(self) -> int: ...

    @property
    def event(self) -> Any: ...


@dataclass(slots=True)
class FlowEdge:
    """One lifecycle step: data went from ``src`` to ``dst`` (read-only by convention: not frozen,
    since frozen dataclasses build several times slower and graphs hold millions of edges)."""

    seq: int
    stage: str
    src: str
    dst: str
    form: str
    actor: str
    time_in: datetime
    time_out: datetime
    rows: int | None
    elements: tuple[str, ...]
    levels: tuple[str, ...]
    pseudonyms: frozenset[str]
    job: str | None
    institution: str | None
    refused: bool = False  # a release verification refused: nothing reached ``dst``

    @property
    def shown_form(self) -> str:
        """The form as drawn: ``refused`` for a refused release."""
        return "refused" if self.refused else self.form

    def as_row(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "stage": self.stage,
            "from": self.src,
            "to": self.dst,
            "form": self.form,
            "refused": self.refused,
            "actor": self.actor,
            "time_in": self.time_in.isoformat(),
            "time_out": self.time_out.isoformat(),
            "rows": self.rows,
            "levels": list(self.levels),
            "job": self.job,
        }


@dataclass
class FlowGraph:
    """A directed multigraph of :class:`FlowEdge`, indexed by node and by pseudonym."""

    edges: list[FlowEdge] = field(default_factory=list)
    _out: dict[str, list[FlowEdge]] = field(default_factory=lambda: defaultdict(list))
    _in: dict[str, list[FlowEdge]] = field(default_factory=lambda: defaultdict(list))
    _by_patient: dict[str, list[FlowEdge]] = field(default_factory=lambda: defaultdict(list))

    def add(self, edge: FlowEdge) -> None:
        self.edges.append(edge)
        self._out[edge.src].append(edge)
        self._in[edge.dst].append(edge)
        for pseudonym in edge.pseudonyms:
            self._by_patient[pseudonym].append(edge)

    @property
    def nodes(self) -> list[str]:
        return sorted(set(self._out) | set(self._in))

    def out_edges(self, node: str) -> list[FlowEdge]:
        return self._out.get(node, [])

    def in_edges(self, node: str) -> list[FlowEdge]:
        return self._in.get(node, [])

    def patient_edges(self, pseudonym: str) -> list[FlowEdge]:
        return self._by_patient.get(pseudonym, [])

    def __contains__(self, node: object) -> bool:
        return node in self._out or node in self._in

    def __iter__(self) -> Iterator[FlowEdge]:
        return iter(self.edges)

    def __len__(self) -> int:
        return len(self.edges)


def edge_of(record: RecordLike) -> FlowEdge:
    """The edge of one ``lineage.*`` ledger record; a ``LedgerError`` naming it if malformed."""
    try:
        return _edge(record)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise LedgerError(
            f"lineage record is malformed ({type(exc).__name__}: {exc}); record steps with"
            " record_step",
            where=f"seq {record.seq}",
        ) from None


def _edge(record: RecordLike) -> FlowEdge:
    event = record.event
    detail = event.detail
    link = detail["link"]
    return FlowEdge(
        seq=record.seq,
        stage=event.action.removeprefix(ACTION_PREFIX),
        src=link["from"],
        dst=link["to"],
        form=detail["form"],
        actor=event.actor,
        time_in=datetime.fromisoformat(detail["time_in"]),
        time_out=datetime.fromisoformat(detail["time_out"]),
        rows=event.rows,
        elements=tuple(event.elements),
        levels=tuple(event.levels),
        pseudonyms=frozenset(detail.get("patient_pseudonyms", ())),
        job=detail.get("job"),
        institution=event.institution,
        refused=bool(detail.get("refused", False)),
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a graph is millions of small acyclic objects, and
    collections triggered by their allocation rescan the whole heap (halving the build rate)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_graph(records: Iterable[RecordLike]) -> FlowGraph:
    """The flow graph of ``records`` (other actions than ``lineage.*`` are skipped)."""
    graph = FlowGraph()
    with collector_paused():
        for record in records:
            if record.event.action.startswith(ACTION_PREFIX):
                graph.add(edge_of(record))
    return graph


class LineageSource(Protocol):
    def records(self, *, action_prefix: str | None = None) -> Iterable[Any]: ...


def graph_from_ledger(ledger: LineageSource) -> FlowGraph:
    """The flow graph of every ``lineage.*`` record in ``ledger``."""
    return build_graph(ledger.records(action_prefix=ACTION_PREFIX))
