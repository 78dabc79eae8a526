"""The house: imports run one way, down the floors, and no module imports itself in a circle.

The floors are written once, here, bottom first (ARCHITECTURE.md, "Packages"). A package of
``src/medshield`` that is not on a floor fails the test: a new package takes its place first.
Every ``import`` statement counts, also those inside functions and under ``TYPE_CHECKING``;
a check that a capability adds to the policy registers itself (``policy/checks.py``) instead.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# Top-level modules (errors, registry, settings, datafiles: checked reading of data files, atomic:
# writing a target whole or not at all, the
# package itself) sit below every floor.
BOTTOM = ("medshield", "errors", "registry", "settings", "datafiles", "atomic")
FLOORS = (
    "elements",
    "policy",
    "store",
    "synth",  # the synthetic alliance and its manifest of sources: elements and policy only
    "ledger",
    "lineage",  # recording a lifecycle step: every writer below the shells records one
    "detect",
    "classify",
    "mask",
    "destroy",
    "monitor",
    "audit",
    "risk",
    "governance",
    "share",
    "federated",
    "service",  # the data services the gateway serves: tokens, consent, scopes, inspection
    "notify",
    "probes",
    "reports",
    # the shells
    "web",
    "gateway",  # mounts the web console
    "demo",
    "cli",  # runs the demo and serves the gateway
)


def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """The dotted names ``tree`` imports (``from a import b`` gives ``a.b``), relative resolved."""
    here = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports (a name resolves to its longest module)."""
    files = {module_name(p, src): p for p in (src / "medshield").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        targets: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for name in imported(tree, module, path.name == "__init__.py"):
            while name and name not in files:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def floor(module: str) -> int:
    """-1 for the bottom, else the index of the module's package in ``FLOORS``."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in BOTTOM:
        return -1
    if parts[1] not in FLOORS:
        raise LookupError(parts[1])
    return FLOORS.index(parts[1])


def upward(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{a} imports {b} ({a.split('.')[1]} is below {b.split('.')[1]})"
        for a, targets in graph.items()
        for b in targets
        if floor(b) > floor(a)
    )


def a_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        return list(exc.args[1])
    return None


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def test_every_package_stands_on_a_floor() -> None:
    packages = {p.name for p in (SRC / "medshield").iterdir() if (p / "__init__.py").exists()}
    assert sorted(packages - set(FLOORS)) == []
    modules = {p.stem for p in (SRC / "medshield").glob("*.py")} - {"__init__"}
    assert sorted(modules - set(BOTTOM)) == []


def test_imports_run_down_the_floors(graph: dict[str, set[str]]) -> None:
    assert upward(graph) == []


def test_no_module_imports_itself_in_a_circle(graph: dict[str, set[str]]) -> None:
    assert a_cycle(graph) is None


def test_the_check_sees_a_circle_and_an_upward_import(tmp_path: Path) -> None:
    """The two checks fail where they should: on a package laid out with both faults."""
    root = tmp_path / "medshield"
    for folder, files in {
        "policy": {"a.py": "from medshield.mask import b\n", "c.py": "from . import a\n"},
        "mask": {"b.py": "if True:\n    from ..policy.c import x\n"},
    }.items():
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
        for name, text in files.items():
            (root / folder / name).write_text(text)
    (root / "__init__.py").write_text("")
    fake = import_graph(tmp_path)
    assert upward(fake) == ["medshield.policy.a imports medshield.mask.b (policy is below mask)"]
    cycle = a_cycle(fake)
    assert cycle is not None
    assert set(cycle) == {"medshield.policy.a", "medshield.mask.b", "medshield.policy.c"}
