"""Three nodes and a hub over mutual-TLS HTTPS on loopback, each node a separate process."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from medshield.errors import (
    AccessDeniedError,
    NodeUnavailableError,
    ProtocolError,
    TemplateRefusedError,
)
from medshield.federated import Federation, Hub
from medshield.federated.client import post
from medshield.federated.config import NodeConfig, read_registry
from medshield.federated.launch import NodeProcess, running_nodes
from medshield.federated.messages import QueryRequest, ShareAnswer
from medshield.federated.tls import client_context
from medshield.ledger import open_ledger
from medshield.policy import PolicyBundle

from .conftest import NODES, make_federation


def _node_ledger(federation: Federation, node: str):  # type: ignore[no-untyped-def]
    return open_ledger(
        NodeConfig.read(federation.nodes[node]).ledger,
        hash_alg="sha256",
        signer=None,
        checkpoint_every=1000,
        checkpoint_seconds=60,
        replicas=(),
        bundle=None,
    )


def test_each_answer_is_an_event_in_the_nodes_own_ledger(hub: Hub, federation: Federation) -> None:
    aggregate = hub.collect("patient_count", "researcher-ledger")
    for node in NODES:
        events = [
            r.event
            for r in _node_ledger(federation, node).records(action_prefix="federated.answer")
            if r.event.detail["query_id"] == aggregate.query_id
        ]
        assert len(events) == 1
        assert events[0].institution == node and events[0].actor == "researcher-ledger"


def test_a_template_outside_the_policy_is_refused_by_the_hub(hub: Hub) -> None:
    with pytest.raises(TemplateRefusedError):
        hub.collect("select_all_patients", "r")


def test_a_node_refuses_an_unapproved_template_even_from_the_hub(
    hub: Hub, federation: Federation
) -> None:
    request = QueryRequest(
        query_id="direct-0001", template="raw_rows", participants=tuple(NODES), requester="r"
    )
    with pytest.raises(TemplateRefusedError) as caught:
        post(hub.context, "h1", hub.urls["h1"], "/v1/query", request, ShareAnswer, 30)
    assert caught.value.code == "MS961"
    refusals = _node_ledger(federation, "h1").records(action_prefix="federated.refuse")
    assert any(r.event.detail["query_id"] == "direct-0001" for r in refusals)


def test_a_node_refuses_a_subset_of_participants_and_a_replayed_query(hub: Hub) -> None:
    subset = QueryRequest(
        query_id="subset-0001", template="patient_count", participants=("h1", "h2"), requester="r"
    )
    with pytest.raises(ProtocolError, match="participants"):
        post(hub.context, "h1", hub.urls["h1"], "/v1/query", subset, ShareAnswer, 30)
    aggregate = hub.collect("patient_count", "r")
    replay = QueryRequest(
        query_id=aggregate.query_id,
        template="patient_age_sum",
        participants=tuple(NODES),
        requester="r",
    )
    with pytest.raises(ProtocolError, match="answered already"):
        post(hub.context, "h1", hub.urls["h1"], "/v1/query", replay, ShareAnswer, 30)


def test_a_client_without_the_hub_certificate_is_refused(hub: Hub, federation: Federation) -> None:
    h2 = NodeConfig.read(federation.nodes["h2"])
    as_node = client_context(h2.cert, h2.key, h2.ca)  # a node posing as the hub
    request = QueryRequest(
        query_id="impostor-01", template="patient_count", participants=tuple(NODES), requester="r"
    )
    with pytest.raises(AccessDeniedError):
        post(as_node, "h1", hub.urls["h1"], "/v1/query", request, ShareAnswer, 30)
    refusals = _node_ledger(federation, "h1").records(action_prefix="federated.refuse")
    assert any(r.event.actor == "h2" and r.event.detail["code"] == "MS600" for r in refusals)


def test_the_hub_checks_it_reached_the_node_it_meant(hub: Hub) -> None:
    request = QueryRequest(
        query_id="misdirect-1", template="patient_count", participants=tuple(NODES), requester="r"
    )
    with pytest.raises(ProtocolError, match="not node"):
        post(hub.context, "h1", hub.urls["h2"], "/v1/query", request, ShareAnswer, 30)


@pytest.mark.slow
def test_a_node_dying_mid_query_gives_a_coded_error_and_no_result(
    tmp_path: Path, alliance: Path, bundle: PolicyBundle
) -> None:
    federation = make_federation(alliance, tmp_path / "fed")
    database = NodeConfig.read(federation.nodes["m1"]).database
    with running_nodes(federation.nodes) as nodes:
        urls = {n: p.url for n, p in nodes.items()}
        hub = Hub.connect(bundle, read_registry(federation.registry), urls, federation.tls)
        hub.collect("patient_count", "r")  # all three answer
        outcome: dict[str, object] = {}

        def query() -> None:
            try:
                outcome["result"] = hub.collect("patient_age_mean", "r")
            except NodeUnavailableError as exc:
                outcome["error"] = exc

        lock = sa.create_engine(database).connect()
        lock.exec_driver_sql("BEGIN EXCLUSIVE")  # m1's query now waits on its database
        try:
            worker = threading.Thread(target=query)
            worker.start()
            time.sleep(1.0)
            assert worker.is_alive(), "the query should be waiting on m1"
            nodes["m1"].kill()  # m1 dies with the query in flight
            worker.join(timeout=60)
        finally:
            lock.exec_driver_sql("ROLLBACK")
            lock.close()
        _assert_died(outcome, nodes["m1"])


def _assert_died(outcome: dict[str, object], dead: NodeProcess) -> None:
    assert "result" not in outcome
    error = outcome["error"]
    assert isinstance(error, NodeUnavailableError) and error.code == "MS962"
    assert "m1" in error.message and dead.process.returncode is not None
