"""YAML loading that remembers where every value stood, so errors can name file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from medshield.datafiles import check_size
from medshield.errors import PolicyError

Path_ = tuple[str | int, ...]


class PositionedYaml:
    """A YAML document as plain Python values plus ``path -> line`` for every node."""

    def __init__(self, file: Path, data: Any, lines: dict[Path_, int]) -> None:
        self.file = file
        self.data = data
        self.lines = lines

    def where(self, path: Path_) -> str:
        """``file:line`` of the deepest known node on ``path``."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return f"{self.file}:{line}"
        return str(self.file)


def read_policy_file(file: Path) -> str:
    check_size(file)
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read policy file: {exc}", where=str(file)) from None


def yaml_error(exc: yaml.YAMLError, file: Path) -> PolicyError:
    """A parser error as a ``PolicyError`` naming the line where the problem was found."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        return PolicyError(f"malformed YAML: {exc}", where=str(file))
    mark = exc.problem_mark or exc.context_mark
    line = f":{mark.line + 1}" if mark is not None else ""
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.context_mark is not None and exc.context_mark is not mark:
        problem += f" ({exc.context} started at line {exc.context_mark.line + 1})"
    return PolicyError(f"malformed YAML: {problem}", where=f"{file}{line}")


MAX_NODES = 200_000
_LOADER: type[yaml.SafeLoader] = (  # libyaml's parser when built with it: ten times faster
    yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader  # type: ignore[assignment]
)


def load_positioned(file: Path) -> PositionedYaml:
    """Parse one YAML file; a syntax error or duplicated key is a ``PolicyError`` with its line."""
    loader = _LOADER(read_policy_file(file))
    try:
        node = loader.get_single_node()
        lines: dict[Path_, int] = {}
        data = _convert(loader, node, (), lines, file) if node is not None else None
    except yaml.YAMLError as exc:
        raise yaml_error(exc, file) from None
    except RecursionError:
        raise PolicyError(
            "YAML nested too deeply, or an alias inside itself", where=str(file)
        ) from None
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]
    return PositionedYaml(file, data, lines)


def _convert(
    loader: yaml.SafeLoader, node: yaml.Node, path: Path_, lines: dict[Path_, int], file: Path
) -> Any:
    lines[path] = node.start_mark.line + 1
    if len(lines) > MAX_NODES:  # aliases of aliases: a few lines that expand beyond measure
        raise PolicyError(
            f"YAML expands to more than {MAX_NODES} values (aliases?)",
            where=f"{file}:{lines[path]}",
        )
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
            if key in result:
                raise PolicyError(
                    f"duplicated key {key!r}", where=f"{file}:{key_node.start_mark.line + 1}"
                )
            result[key] = _convert(loader, value_node, (*path, key), lines, file)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(loader, item, (*path, index), lines, file)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)  # type: ignore[no-untyped-call]
