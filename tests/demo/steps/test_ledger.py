"""The demo records each step in its own ledger and ends by replicating, drilling, verifying."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import ClassVar

import pytest

from medshield.demo import DemoContext, run_demo
from medshield.demo.steps.ledger import LedgerStep
from medshield.errors import LedgerIntegrityError
from medshield.ledger import Event, open_ledger
from medshield.policy import load_bundle


class _Appends:
    name: ClassVar[str] = "appends"
    title_zh: ClassVar[str] = "写入"
    title_en: ClassVar[str] = "appends"

    def run(self, ctx: DemoContext) -> None:
        assert ctx.ledger is not None
        ctx.ledger.append_many([Event(action="api.call", actor=f"doctor_{i}") for i in range(5)])


def _context(tmp_path: Path, said: list[str], lang: str = "zh") -> DemoContext:
    return DemoContext(workdir=tmp_path, bundle=load_bundle(None), patients=100, seed=7,
                       lang=lang, say=said.append)  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_demo_is_recorded_and_verified(tmp_path: Path, lang: str) -> None:
    said: list[str] = []
    summary = dict(run_demo(_context(tmp_path, said, lang), [_Appends, LedgerStep]))
    with open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        records = list(ledger.records())
        assert ledger.verify().ok
    steps = [
        (r.event.detail["step"], r.event.detail["phase"])
        for r in records
        if r.event.action == "demo.step"
    ]
    assert steps == [
        ("appends", "start"),
        ("appends", "end"),
        ("ledger", "start"),
        ("ledger", "end"),
    ]
    assert sum(r.event.action == "api.call" for r in records) == 5
    key = "账本记录" if lang == "zh" else "ledger records"
    assert summary[key] == "8"  # what the ledger held when the last step looked
    assert (tmp_path / "ledger-replica").is_dir()
    text = "\n".join(said)
    assert ("恢复演练" in text) == (lang == "zh")


def test_a_tampered_demo_ledger_fails_the_last_step(tmp_path: Path) -> None:
    said: list[str] = []
    ctx = _context(tmp_path, said)
    run_demo(ctx, [_Appends])
    with sqlite3.connect(tmp_path / "ledger.db") as conn:
        conn.execute("UPDATE ledger_records SET at_us = at_us + 1 WHERE seq = 2")
    with pytest.raises(LedgerIntegrityError, match="record 2"):
        run_demo(_context(tmp_path, said), [LedgerStep])
