from __future__ import annotations

from pathlib import Path

import pytest

from medshield.demo import DemoContext
from medshield.demo.steps.dynamic_mask import RECORD, DynamicMaskStep
from medshield.policy import load_bundle


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_step_shows_each_role_masked(tmp_path: Path, lang: str) -> None:
    said: list[str] = []
    bundle = load_bundle(None)
    ctx = DemoContext(tmp_path, bundle, patients=10, seed=7, lang=lang, say=said.append)
    DynamicMaskStep().run(ctx)
    text = "\n".join(said)
    masked_lines = said[1:4]
    assert all(RECORD["sfzh"] not in line and RECORD["sjhm"] not in line for line in masked_lines)
    assert (
        "欧阳**" in masked_lines[0] and "ITP" in masked_lines[1] and "蒙脱石散" in masked_lines[1]
    )
    assert "思密达 -> 蒙脱石散" in text
    assert ctx.artifacts["dynamic_mask_us"] > 0 and len(ctx.summary) == 1
