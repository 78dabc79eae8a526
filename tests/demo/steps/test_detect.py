from __future__ import annotations

from pathlib import Path

import pytest

from medshield.demo import DemoContext
from medshield.demo.steps.detect import MASKED_NOTE, RAW_NOTE, DetectStep
from medshield.policy import load_bundle


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_step_counts_clear_identifiers_before_and_after_masking(tmp_path: Path, lang: str) -> None:
    said: list[str] = []
    ctx = DemoContext(workdir=tmp_path, bundle=load_bundle(None), patients=10, seed=1,
                      lang=lang, say=said.append)  # fmt: skip
    DetectStep().run(ctx)
    raw, masked = ctx.artifacts["detect_counts"]["raw"], ctx.artifacts["detect_counts"]["masked"]
    assert raw[0] == 6 and masked == (0, 5)
    text = "\n".join(said)
    assert ("脱敏生效" in text) == (lang == "zh") and ("masking works" in text) == (lang == "en")
    # the step prints evidence only, never the identifiers themselves
    assert "13800138000" not in text and "11010519491231002X" not in text
    assert "13800138000" in RAW_NOTE and "13800138000" not in MASKED_NOTE
    assert ctx.summary[-1][1] == "6/0"
    scrubbed = ctx.artifacts["scrubbed_note"]
    assert "王秀英" in RAW_NOTE and "王秀英" not in scrubbed and "今日[姓名]陪同复查" in scrubbed
