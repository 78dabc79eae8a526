from __future__ import annotations

from pathlib import Path

import pytest

from medshield.demo import DemoContext
from medshield.demo.steps.reports import ReportsStep
from medshield.ledger import DataObject, Event, open_ledger
from medshield.policy import load_bundle


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_three_reports_are_written_and_named(tmp_path: Path, lang: str) -> None:
    with open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        ledger.append(Event(action="gateway.call", actor="token:t", institution="h1",
                            source_ip="10.1.0.3", object=DataObject(api="patient.summary"),
                            rows=1, duration_ms=5.0, detail={"status": 200, "code": "ok"}))  # fmt: skip
    said: list[str] = []
    ctx = DemoContext(tmp_path, load_bundle(None), patients=10, seed=1, lang=lang, say=said.append)
    ReportsStep().run(ctx)
    written = ctx.artifacts["reports"]
    assert set(written) == {"api", "audit", "compliance"}
    for path in written.values():
        assert path.exists() and str(path) in "\n".join(said)
    title = "数据接口检测报告" if lang == "zh" else "API detection report"
    assert title in written["api"].read_text(encoding="utf-8")
