from __future__ import annotations

from pathlib import Path

import pytest

from medshield.demo import DemoContext
from medshield.demo.steps.lineage import FLOW, LineageStep
from medshield.ledger import open_ledger
from medshield.lineage import graph_from_ledger
from medshield.policy import load_bundle


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_step_records_the_flow_and_draws_it(tmp_path: Path, lang: str) -> None:
    said: list[str] = []
    ctx = DemoContext(workdir=tmp_path, bundle=load_bundle(None), patients=100, seed=7,
                      lang=lang, say=said.append)  # fmt: skip
    LineageStep().run(ctx)
    page = (tmp_path / "lineage.html").read_text(encoding="utf-8")
    assert "<svg" in page and "research/cohort_itp" in page
    assert ctx.artifacts["lineage_html"] == tmp_path / "lineage.html"
    text = "\n".join(said)
    assert "research/cohort_itp" in text and "public/monthly_report" in text
    assert ("数据去向" in text) == (lang == "zh")
    with open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        assert len(graph_from_ledger(ledger)) == len(FLOW)
        assert ledger.verify().ok
    lines = (tmp_path / "lineage.openlineage.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(FLOW)
