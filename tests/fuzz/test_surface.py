"""The walker finds every command, so a command added later is fuzzed without new test code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.fuzz.surface import SKIPPED, Kind, all_command_names, walk
from tests.fuzz.values import Value, value_for
from typer.models import TyperInfo

from medshield.cli.app import app

CORPUS = Path(__file__).parent / "corpus"


def test_every_command_is_fuzzed_or_skipped_with_a_reason() -> None:
    fuzzed = {c.name for c in walk()}
    assert fuzzed.isdisjoint(SKIPPED)
    assert fuzzed | set(SKIPPED) == set(all_command_names())
    assert all(reason.strip() for reason in SKIPPED.values())


def test_a_command_added_later_is_walked(monkeypatch: pytest.MonkeyPatch) -> None:
    later = typer.Typer()

    @later.command("run")
    def run(
        source: Annotated[Path, typer.Argument()],
        out: Annotated[Path, typer.Option("--out")],
        rows: Annotated[int, typer.Option("--rows", min=1, max=10)] = 5,
        url: Annotated[str | None, typer.Option("--url")] = None,
        dry: Annotated[bool, typer.Option("--dry")] = False,
    ) -> None:
        """A command that a later capability adds."""

    monkeypatch.setattr(
        app, "registered_groups", [*app.registered_groups, TyperInfo(later, name="later")]
    )
    found = {c.name: c for c in walk()}
    assert "later run" in found
    kinds = {p.name: p.kind for p in found["later run"].params}
    assert kinds == {
        "source": Kind.INPUT_PATH,
        "out": Kind.OUTPUT_PATH,
        "rows": Kind.NUMBER,
        "url": Kind.URL,
        "dry": Kind.FLAG,
    }
    rows = next(p for p in found["later run"].params if p.name == "rows")
    assert (rows.low, rows.high) == (1, 10)


def test_every_corpus_file_is_drawn_for_an_input_path(tmp_path: Path) -> None:
    """A bad file added to the corpus is fuzzed at once: the input values list the folder."""
    command = next(c for c in walk() if c.name == "mask stats")
    param = next(p for p in command.params if p.kind is Kind.INPUT_PATH)
    strategy = value_for(param, command.name, CORPUS, tmp_path)
    drawn = {Path(v.text).name for v in _examples(strategy, 3000)}
    assert {p.name for p in CORPUS.iterdir()} <= drawn


def _examples(strategy: st.SearchStrategy[Value], count: int) -> list[Value]:
    seen: list[Value] = []

    @settings(max_examples=count, database=None, derandomize=True)
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        seen.append(data.draw(strategy))

    collect()
    return seen
