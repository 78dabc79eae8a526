"""The five levels: order, names in both languages, parsing and clamped shifts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medshield.elements import Level
from medshield.errors import UnknownNameError


def test_order_and_names() -> None:
    assert list(Level) == sorted(Level)
    assert [lv.en for lv in Level] == ["public", "normal", "sensitive", "important", "controlled"]
    assert [lv.zh for lv in Level] == ["公开级", "普通级", "敏感级", "重要级", "控制级"]
    assert Level.IMPORTANT.label("en") == "important" and Level.IMPORTANT.label() == "重要级"


@pytest.mark.parametrize("level", list(Level), ids=lambda lv: lv.en)
def test_parse_accepts_every_spelling(level: Level) -> None:
    spellings = [level.en, level.en.upper(), f" {level.zh} ", level.zh.removesuffix("级")]
    assert {Level.parse(s) for s in spellings} == {level}
    assert Level.parse(int(level)) is level and Level.parse(level) is level


@pytest.mark.parametrize("text", ["重要数据", "secret", "", 0, 6, True])
def test_parse_refuses_unknown_names(text: str | int) -> None:
    with pytest.raises(UnknownNameError, match="unknown level"):
        Level.parse(text)


@given(st.sampled_from(list(Level)), st.integers(-10, 10))
def test_shifted_stays_on_the_scale_and_moves_the_right_way(level: Level, steps: int) -> None:
    moved = level.shifted(steps)
    assert Level.PUBLIC <= moved <= Level.CONTROLLED
    assert (moved >= level) if steps >= 0 else (moved <= level)
    assert moved == Level(min(5, max(1, int(level) + steps)))
