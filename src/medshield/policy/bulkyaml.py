"""Loading large policy files fast: libyaml, and positions only when an error needs one.

``columns.yaml`` of a real deployment grades hundreds of thousands of columns (R33: 303,881).
Remembering the line of every node up front costs more than the parse, so this loader keeps only
the values; ``where(path)`` composes the file again (with marks) when an error must be placed.
"""

from __future__ import annotations

import gc
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from medshield.datafiles import check_size
from medshield.errors import PolicyError
from medshield.policy.yamlpos import Path_, PositionedYaml, yaml_error

_Loader: type[yaml.SafeLoader] = (
    yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader  # type: ignore[assignment]
)


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"


def _plain(loader: yaml.SafeLoader, node: yaml.Node, file: Path) -> Any:
    """Composed nodes to Python values as the safe loader makes them, refusing duplicated keys.

    Strings, lists and mappings (nearly every node of a policy file) are built here directly;
    every other tag goes through the safe constructor. Three times cheaper than the constructor's
    generic path, which matters at hundreds of thousands of entries.
    """
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
        return node.value
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_plain(loader, item, file) for item in node.value]
    if not isinstance(node, yaml.MappingNode) or node.tag != _MAP:
        return loader.construct_object(node, deep=True)  # type: ignore[no-untyped-call]
    if any(key_node.tag == _MERGE for key_node, _ in node.value):
        loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _plain(loader, key_node, file)
        if not isinstance(key, Hashable):
            raise PolicyError("a mapping key must be a plain value", where=_at(file, key_node))
        if key in mapping:
            raise PolicyError(f"duplicated key {key!r}", where=_at(file, key_node))
        mapping[key] = _plain(loader, value_node, file)
    return mapping


def _at(file: Path, node: yaml.Node) -> str:
    return f"{file}:{node.start_mark.line + 1}"


@contextmanager
def collector_paused() -> Iterator[None]:
    """Millions of new containers would run the cyclic collector again and again (4x slower)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class LazyPositionedYaml(PositionedYaml):
    """Values now; lines found by composing the file again, on the first error only."""

    def __init__(self, file: Path, data: Any) -> None:
        super().__init__(file, data, {})
        self._root: yaml.Node | None = None

    def where(self, path: Path_) -> str:
        if self._root is None:
            self._root = _compose(self.file)
        node, line = self._root, self._root.start_mark.line + 1
        for step in path:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if k.value == str(step)), None)
                if found is None:
                    break
                line, node = found[0].start_mark.line + 1, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    break
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                break
        return f"{self.file}:{line}"


def _compose(file: Path) -> yaml.Node:
    check_size(file)
    loader = _Loader(file.read_bytes())
    try:
        with collector_paused():
            node = loader.get_single_node()
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]
    return node if node is not None else yaml.ScalarNode("tag:yaml.org,2002:null", "")


def load_bulk(file: Path) -> PositionedYaml:
    """Parse one (large) YAML file; syntax errors and duplicated keys name their line."""
    check_size(file)
    try:
        raw = file.read_bytes()
        raw.decode("utf-8")  # libyaml would accept UTF-16 too; policy files are UTF-8
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read policy file: {exc}", where=str(file)) from None
    loader = _Loader(raw)  # bytes: libyaml decodes faster than it reads a str
    try:
        with collector_paused():
            node = loader.get_single_node()
            data = _plain(loader, node, file) if node is not None else None
    except yaml.YAMLError as exc:
        raise yaml_error(exc, file) from None
    except RecursionError:
        raise PolicyError("an alias refers to itself", where=str(file)) from None
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]
    return LazyPositionedYaml(file, data)
