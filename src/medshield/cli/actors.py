"""Who runs a command: ``--operator``, the OS user when not given (recorded as the actor)."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

OperatorOption = Annotated[
    str | None, typer.Option("--operator", help="Who runs it; the OS user when unset.")
]


def operator_name(given: str | None) -> str:
    """``given``, else the OS user ("unknown" where there is none)."""
    try:
        return given or getpass.getuser()
    except (OSError, KeyError):
        return "unknown"
