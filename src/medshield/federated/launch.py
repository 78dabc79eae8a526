"""Starting nodes as separate processes (``python -m medshield.federated.server``)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from medshield.errors import NodeUnavailableError


@dataclass
class NodeProcess:
    id: str
    url: str
    process: subprocess.Popen[str]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


def spawn_node(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "medshield.federated.server", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_ready(node_id: str, process: subprocess.Popen[str]) -> NodeProcess:
    """The node once it prints its URL (its first line)."""
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("https://"):
        process.kill()
        _, err = process.communicate(timeout=30)
        raise NodeUnavailableError(f"node {node_id} did not start: {err.strip()[-500:]}")
    return NodeProcess(node_id, line, process)


def start_node(node_id: str, config: Path) -> NodeProcess:
    """A node process on a free loopback port."""
    return wait_ready(node_id, spawn_node(config))


@contextmanager
def running_nodes(configs: dict[str, Path]) -> Iterator[dict[str, NodeProcess]]:
    """Every node of ``configs`` running for the duration of the block."""
    started: dict[str, NodeProcess] = {}
    try:
        spawned = {node_id: spawn_node(config) for node_id, config in configs.items()}
        for node_id, process in spawned.items():
            started[node_id] = NodeProcess(node_id, "", process)  # stopped even if not ready
        for node_id, process in spawned.items():
            started[node_id] = wait_ready(node_id, process)
        yield started
    finally:
        for node in started.values():
            node.stop()
