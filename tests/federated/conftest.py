"""A synthetic alliance, three of its institutions as a federation, nodes as processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from medshield.federated import Federation, Hub, setup_federation
from medshield.federated.config import NodeConfig, read_registry
from medshield.federated.launch import NodeProcess, running_nodes
from medshield.federated.local import LocalDatabase
from medshield.policy import PolicyBundle, load_bundle
from medshield.synth.alliance import build_alliance

NODES = ["h1", "h2", "m1"]


@pytest.fixture(scope="session")
def bundle() -> PolicyBundle:
    return load_bundle()


@pytest.fixture(scope="session")
def alliance(tmp_path_factory: pytest.TempPathFactory, bundle: PolicyBundle) -> Path:
    out = tmp_path_factory.mktemp("alliance")
    build_alliance(out, bundle=bundle, patients=900, seed=15)
    return out


@pytest.fixture(scope="session")
def mock_alliance(tmp_path_factory: pytest.TempPathFactory, bundle: PolicyBundle) -> Path:
    out = tmp_path_factory.mktemp("mock")
    build_alliance(out, bundle=bundle, patients=120, seed=99)
    return out


def make_federation(alliance: Path, folder: Path) -> Federation:
    return setup_federation(alliance, folder, NODES)


@pytest.fixture(scope="session")
def federation(tmp_path_factory: pytest.TempPathFactory, alliance: Path) -> Federation:
    return make_federation(alliance, tmp_path_factory.mktemp("federation"))


@pytest.fixture(scope="session")
def nodes(federation: Federation) -> Iterator[dict[str, NodeProcess]]:
    with running_nodes(federation.nodes) as started:
        yield started


@pytest.fixture(scope="session")
def hub(bundle: PolicyBundle, federation: Federation, nodes: dict[str, NodeProcess]) -> Hub:
    urls = {n: p.url for n, p in nodes.items()}
    return Hub.connect(bundle, read_registry(federation.registry), urls, federation.tls)


def local_databases(federation: Federation) -> dict[str, LocalDatabase]:
    """Each node's own database, opened directly (what only the institution itself can do)."""
    out = {}
    for node_id, path in federation.nodes.items():
        c = NodeConfig.read(path)
        out[node_id] = LocalDatabase.open(c.database, c.style, c.tables)
    return out
