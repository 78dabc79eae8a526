from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from medshield.demo import DemoContext
from medshield.demo.steps.destroy import DestroyStep
from medshield.ledger import open_ledger
from medshield.policy import load_bundle


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_step_destroys_expired_rows_and_certifies(tmp_path: Path, lang: str) -> None:
    said: list[str] = []
    ctx = DemoContext(workdir=tmp_path, bundle=load_bundle(None), patients=100, seed=7,
                      lang=lang, say=said.append)  # fmt: skip
    DestroyStep().run(ctx)
    engine = create_engine(f"sqlite:///{tmp_path / 'retired_department.db'}")
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM visits ORDER BY id")).scalars().all()
    engine.dispose()
    assert names == ["王五", "赵六", "孙七"]
    assert "error[MS600]" in "\n".join(said)
    with open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        [cert] = list(ledger.records(action_prefix="lifecycle.destroy"))
        assert cert.event.detail["rows"] == 3 and cert.event.detail["verified"]
        assert f"seq {cert.seq}" in ctx.summary[-1][1]
        assert ledger.verify().ok
