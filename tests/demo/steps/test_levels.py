"""The demo's grading step: one piece of data in four contexts, and a fail-closed decision."""

from __future__ import annotations

from pathlib import Path

import pytest

from medshield.demo.runner import DemoContext
from medshield.demo.steps.levels import ELEMENTS, LevelsStep
from medshield.demo.steps.policy import PolicyStep
from medshield.policy import effective_level, load_bundle


def _context(tmp_path: Path, lang: str, lines: list[str]) -> DemoContext:
    return DemoContext(
        workdir=tmp_path, bundle=load_bundle(), patients=100, seed=7, lang=lang, say=lines.append
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_levels_step_shows_each_use_with_its_trace(tmp_path: Path, lang: str) -> None:
    lines: list[str] = []
    ctx = _context(tmp_path, lang, lines)
    LevelsStep().run(ctx)
    raw = effective_level(ctx.bundle, ELEMENTS)
    assert len(lines) == 6
    assert raw.level.label(lang) in lines[1] and raw.trace in lines[1]
    assert ("拒绝" if lang == "zh" else "deny") in lines[-1]


def test_policy_step_reports_the_version(tmp_path: Path) -> None:
    lines: list[str] = []
    ctx = _context(tmp_path, "zh", lines)
    PolicyStep().run(ctx)
    assert ctx.bundle.short_version in lines[0]
    assert ctx.summary == [("策略版本", ctx.bundle.short_version)]
    assert f"数据元 {len(ctx.bundle.catalogue)} 个" in lines[1]
