"""The hub's own checks, with nodes in this process (their HTTP layer is tested elsewhere)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from medshield.errors import ProtocolError
from medshield.federated import Federation, Hub
from medshield.federated.config import NodeConfig, load_mask_key, read_registry
from medshield.federated.kinds.quantile import quantile_of
from medshield.federated.node import Node
from medshield.ledger import open_ledger
from medshield.policy import PolicyBundle

from .conftest import make_federation


class _InProcessHub(Hub):
    def __init__(self, nodes: dict[str, Node], bundle: PolicyBundle, federation: Federation):
        urls = dict.fromkeys(nodes, "https://in-process")
        super().__init__(bundle, read_registry(federation.registry), urls, context=None)  # type: ignore[arg-type]
        self.nodes = nodes

    def _post(self, node: str, path: str, body: BaseModel, answer: type[Any]) -> Any:
        assert path == "/v1/query"
        return self.nodes[node].answer(body)  # type: ignore[arg-type]


def _node(config: Path, bundle: PolicyBundle, tmp: Path) -> Node:
    c = NodeConfig.read(config)
    ledger = open_ledger(f"sqlite:///{tmp / (c.id + '.db')}", hash_alg="sha256",
                         checkpoint_every=1000, checkpoint_seconds=60, replicas=())  # fmt: skip
    return Node(c, bundle=bundle, registry=read_registry(c.registry),
                mask_key=load_mask_key(c.mask_key), ledger=ledger)  # fmt: skip


def test_nodes_holding_different_definitions_are_a_protocol_error(
    tmp_path: Path, alliance: Path, bundle: PolicyBundle
) -> None:
    federation = make_federation(alliance, tmp_path / "fed")
    changed = bundle.federated.model_copy(
        update={
            "templates": tuple(
                t.model_copy(update={"upper": 90.0}) if t.key == "patient_age_mean" else t
                for t in bundle.federated.templates
            )
        }
    )
    other = dataclasses.replace(bundle, federated=changed)  # h2 holds another policy
    nodes = {
        n: _node(p, other if n == "h2" else bundle, tmp_path) for n, p in federation.nodes.items()
    }
    hub = _InProcessHub(nodes, bundle, federation)
    assert hub.collect("patient_count", "r").total[0] > 0
    with pytest.raises(ProtocolError, match="different definitions"):
        hub.collect("patient_age_mean", "r")


def test_quantiles_interpolate_inside_their_bin() -> None:
    edges = [0.0, 10.0, 20.0, 30.0]
    assert quantile_of([10, 10, 0], edges, 0.5) == 10.0
    assert quantile_of([0, 10, 0], edges, 0.25) == 12.5
    assert quantile_of([0, 0, 0], edges, 0.5) == 0.0
