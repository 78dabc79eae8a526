"""Export the flow graph as OpenLineage ``RunEvent`` s, built offline and written as JSON lines.

Each lifecycle step becomes one COMPLETE run of the job ``<stage>`` (or the step's own job id)
reading the ``from`` dataset and writing the ``to`` dataset. The lifecycle details ride in a
``medshield_lifecycle`` run facet; patients are given as a count only, never as pseudonyms, since
an export leaves the hub.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attr
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.generated.base import RunFacet
from openlineage.client.serde import Serde
from openlineage.client.uuid import generate_static_uuid

from medshield import __version__
from medshield.atomic import atomic_target
from medshield.lineage.graph import FlowEdge
from medshield.lineage.steps import split_node

PRODUCER = f"https://github.com/medshield/medshield/tree/v{__version__}"
NAMESPACE = "medshield"


@attr.define
class LifecycleRunFacet(RunFacet):
    """The lifecycle step as the ledger recorded it (R15)."""

    stage: str
    form: str
    actor: str
    timeIn: str  # noqa: N815 - OpenLineage facets are camelCase
    timeOut: str  # noqa: N815
    ledgerSeq: int  # noqa: N815
    rows: int | None = attr.field(default=None)
    levels: list[str] = attr.field(factory=list)
    elements: list[str] = attr.field(factory=list)
    patients: int = attr.field(default=0)

    @staticmethod
    def _get_schema() -> str:
        return (
            "https://github.com/medshield/medshield/blob/main/docs/lineage.md#lifecycle-run-facet"
        )


def run_event(edge: FlowEdge) -> RunEvent:
    """The OpenLineage run event of one lifecycle step."""
    src_ns, src_name = split_node(edge.src)
    dst_ns, dst_name = split_node(edge.dst)
    facet = LifecycleRunFacet(
        stage=edge.stage,
        form=edge.form,
        actor=edge.actor,
        timeIn=edge.time_in.isoformat(),
        timeOut=edge.time_out.isoformat(),
        ledgerSeq=edge.seq,
        rows=edge.rows,
        levels=list(edge.levels),
        elements=list(edge.elements),
        patients=len(edge.pseudonyms),
        producer=PRODUCER,
    )
    run_id = generate_static_uuid(edge.time_in, f"{NAMESPACE}:{edge.seq}".encode())
    return RunEvent(
        eventType=RunState.COMPLETE,
        eventTime=edge.time_out.isoformat(),
        run=Run(runId=str(run_id), facets={"medshield_lifecycle": facet}),
        job=Job(namespace=NAMESPACE, name=edge.job or f"lifecycle.{edge.stage}"),
        inputs=[InputDataset(namespace=src_ns, name=src_name)],
        outputs=[OutputDataset(namespace=dst_ns, name=dst_name)],
        producer=PRODUCER,
    )


def to_dicts(edges: Iterable[FlowEdge]) -> list[dict[str, Any]]:
    """The run events of ``edges`` as plain dictionaries (the OpenLineage JSON form)."""
    return [Serde.to_dict(run_event(edge)) for edge in edges]


def write_jsonl(edges: Iterable[FlowEdge], out: Path) -> int:
    """Write one OpenLineage run event a line to ``out``; return how many."""
    count = 0
    with atomic_target(out) as tmp, tmp.open("w", encoding="utf-8") as handle:
        for edge in edges:
            handle.write(Serde.to_json(run_event(edge), ensure_ascii=False) + "\n")
            count += 1
    return count
