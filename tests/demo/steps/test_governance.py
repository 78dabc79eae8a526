from __future__ import annotations

from pathlib import Path

import pytest

from medshield.demo import DemoContext
from medshield.demo.steps.governance import GovernanceStep
from medshield.governance import active_version
from medshield.ledger import open_ledger
from medshield.policy import load_bundle


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_register_approval_and_drill(tmp_path: Path, lang: str) -> None:
    said: list[str] = []
    ctx = DemoContext(workdir=tmp_path, bundle=load_bundle(None), patients=100, seed=7,
                      lang=lang, say=said.append)  # fmt: skip
    GovernanceStep().run(ctx)
    text = "\n".join(said)
    assert (tmp_path / "risk_heatmap.html").read_text(encoding="utf-8").count("<rect") == 25
    assert "error[MS942]" in text
    with open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        assert active_version(ledger) == load_bundle(tmp_path / "policy-v2").version
        [drill] = ledger.records(action_prefix="drill.completed")
        assert drill.event.detail["passed"] is True
        assert ledger.verify().ok
    assert [k for k, _ in ctx.summary][-1] in ("应急演练", "incident drill")
