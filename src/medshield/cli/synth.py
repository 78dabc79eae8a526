"""``medshield synth``: the synthetic alliance and its ground truth."""

from __future__ import annotations

import typer


def register(root: typer.Typer) -> None:
    """Placeholder until the synthetic alliance lands: registers nothing."""
