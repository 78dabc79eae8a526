from __future__ import annotations

from pathlib import Path

import pytest

from medshield.demo import DemoContext
from medshield.demo.steps.scan import ScanStep
from medshield.policy import load_bundle
from medshield.synth import build_alliance


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_step_grades_the_alliance_and_leaves_the_level_map(tmp_path: Path, lang: str) -> None:
    said: list[str] = []
    bundle = load_bundle(None)
    ctx = DemoContext(workdir=tmp_path, bundle=bundle, patients=100, seed=7, lang=lang,
                      say=said.append)  # fmt: skip
    manifest = build_alliance(tmp_path / "alliance", bundle=bundle, patients=100, seed=7)
    ctx.artifacts["alliance"] = manifest
    ScanStep().run(ctx)
    level_map = ctx.artifacts["level_map"]
    assert set(level_map) == set(manifest.databases.values())
    h2 = level_map[manifest.databases["h2"]]  # pinyin-named vendor
    assert h2["brjbxx"]["sfzh"] == {"element": "DE02.01.030.00", "level": "important"}
    text = "\n".join(said)
    assert ("个人属性数据" if lang == "zh" else "personal attributes") in text
    assert ctx.summary and ctx.summary[-1][1].startswith(
        str(sum(len(cols) for tables in level_map.values() for cols in tables.values()))
    )


def test_step_without_an_alliance_says_so(tmp_path: Path) -> None:
    said: list[str] = []
    ctx = DemoContext(workdir=tmp_path, bundle=load_bundle(None), patients=100, seed=7,
                      lang="en", say=said.append)  # fmt: skip
    ScanStep().run(ctx)
    assert "level_map" not in ctx.artifacts
    assert "no synthetic alliance" in said[0]
