"""The command surface, found by walking the Typer app: every command and its parameters.

Each parameter gets a kind from its annotation and name (a number, a choice, a flag, an input
path, an output path, a database URL, free text); ``values`` draws bad values by kind. New
commands are covered without new test code; only a command that cannot run in-process within a
bound is listed in ``SKIPPED``, with the reason.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from medshield.cli.app import app

# Commands that start a server or an unbounded job: they cannot be fuzzed in-process with a time
# bound. Their argument checks are tested in tests/fuzz/test_bad_inputs.py.
SKIPPED: dict[str, str] = {
    "serve": "starts the HTTP gateway and runs until stopped",
    "console serve": "starts the console's HTTP server and runs until stopped",
    "federated node": "starts a node's HTTP server and runs until stopped",
    "demo": "runs the whole demonstration (synthetic alliance, every capability): minutes",
}
# Flags never set by the fuzzer: they turn a bounded command into an unbounded one.
UNBOUNDED_FLAGS = frozenset({"follow"})
# Options whose value loops (seconds between rounds): fuzzed with values that must be refused.
OUTPUT_NAMES = frozenset({"out", "scratch", "media", "target"})
URL_NAMES = frozenset({"url", "urls", "store", "source_url", "ledger_url"})  # not --replica:
# a replica is a URL or a folder, and any text names a folder
# Values given to parameters whose default makes a command long (minutes for 20,000 patients)
# whenever another parameter is the one fuzzed; fuzzed themselves, they get bad values as usual.
CHEAP: dict[tuple[str, str], str] = {
    ("synth", "patients"): "40",
}
# Parameters where a missing or binary file is a legitimate input, with the reason.
LENIENT_INPUTS: dict[tuple[str, str], str] = {
    ("audit log", "file"): "binary log lines are counted and skipped by design (MS911)",
    ("audit sql", "file"): "each line is a submission to judge: one that does not parse, binary "
    "garbage included, gets its deny record (parse_error), the file is not refused",
}


class Kind(enum.Enum):
    NUMBER = "number"
    CHOICE = "choice"
    FLAG = "flag"
    INPUT_PATH = "input path"
    OUTPUT_PATH = "output path"
    URL = "url"
    TEXT = "text"


@dataclass(frozen=True)
class Param:
    name: str
    opt: str | None  # "--name" for an option, None for an argument
    kind: Kind
    required: bool
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    integer: bool = True


@dataclass(frozen=True)
class Command:
    path: tuple[str, ...]
    params: tuple[Param, ...]

    @property
    def name(self) -> str:
        return " ".join(self.path)


def _bare(annotation: Any) -> Any:
    """``int`` for ``int | None``, ``Path`` for ``list[Path]``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _bare(args[0])
    if origin is list:
        return _bare(typing.get_args(annotation)[0])
    return annotation


def _param(command: str, p: Any) -> Param | None:
    if p.name in UNBOUNDED_FLAGS or p.name == "help":
        return None
    bare = _bare(p.type_descriptor.annotation)
    opt = (
        next((o for o in p.opts if o.startswith("--")), None) if p.opts[0].startswith("-") else None
    )
    if p.param_type_name == "option" and opt is None:
        opt = p.opts[0]
    common = {"name": p.name, "opt": opt, "required": bool(p.required)}
    if bare is bool:
        return Param(kind=Kind.FLAG, **common)
    if bare in (int, float):
        low, high = getattr(p, "min", None), getattr(p, "max", None)
        return Param(kind=Kind.NUMBER, low=low, high=high, integer=bare is int, **common)
    if isinstance(bare, type) and issubclass(bare, enum.Enum):
        return Param(kind=Kind.CHOICE, choices=tuple(str(m.value) for m in bare), **common)
    if typing.get_origin(bare) is typing.Literal:
        return Param(kind=Kind.CHOICE, choices=tuple(map(str, typing.get_args(bare))), **common)
    if p.name in URL_NAMES or (command, p.name) in {
        ("mask run", "source"),
        ("ledger restore", "source"),
    }:
        return Param(kind=Kind.URL, **common)
    if bare is Path or p.name in {"file", "folder"}:
        kind = Kind.OUTPUT_PATH if p.name in OUTPUT_NAMES else Kind.INPUT_PATH
        return Param(kind=kind, **common)
    if p.name in OUTPUT_NAMES:
        return Param(kind=Kind.OUTPUT_PATH, **common)
    return Param(kind=Kind.TEXT, **common)


def walk() -> list[Command]:
    """Every leaf command of the app, skipped ones excluded."""
    found: list[Command] = []

    def visit(node: Any, path: tuple[str, ...]) -> None:
        if hasattr(node, "commands"):
            for name, sub in sorted(node.commands.items()):
                visit(sub, (*path, name))
            return
        name = " ".join(path)
        if name in SKIPPED:
            return
        params = tuple(x for p in node.params if (x := _param(name, p)) is not None)
        found.append(Command(path, params))

    visit(typer.main.get_command(app), ())
    return found


def all_command_names() -> list[str]:
    names: list[str] = []

    def visit(node: Any, path: tuple[str, ...]) -> None:
        if hasattr(node, "commands"):
            for name, sub in node.commands.items():
                visit(sub, (*path, name))
        else:
            names.append(" ".join(path))

    visit(typer.main.get_command(app), ())
    return names
