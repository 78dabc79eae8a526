from __future__ import annotations

from pathlib import Path

import pytest

from medshield.demo import DemoContext
from medshield.demo.steps.log_audit import ATTACKER, LogAuditStep
from medshield.ledger import open_ledger
from medshield.policy import load_bundle


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_attack_is_one_incident(tmp_path: Path, lang: str) -> None:
    said: list[str] = []
    ctx = DemoContext(workdir=tmp_path, bundle=load_bundle(None), patients=10, seed=1,
                      lang=lang, say=said.append)  # fmt: skip
    LogAuditStep().run(ctx)
    assert ctx.artifacts["log_audit"]["incidents"] == 1
    text = "\n".join(said)
    assert ATTACKER in text and "alert.bulk_export" in text
    assert ("关联事件" in text) == (lang == "zh")
    with open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}", bundle=ctx.bundle) as ledger:
        actions = [r.event.action for r in ledger.records(action_prefix="alert.")]
    assert actions.count("alert.incident") == 1
    assert {
        "alert.login_failures",
        "alert.login_compromise",
        "alert.bulk_export",
    } <= set(actions)
