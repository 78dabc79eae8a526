"""The five security levels, ordered: public < normal < sensitive < important < controlled."""

from __future__ import annotations

from enum import IntEnum

from medshield.errors import UnknownNameError

_ZH = {1: "公开级", 2: "普通级", 3: "敏感级", 4: "重要级", 5: "控制级"}
_EN = {1: "public", 2: "normal", 3: "sensitive", 4: "important", 5: "controlled"}


class Level(IntEnum):
    """A security level. 重要级 (important) is a grade of this scale, not the legal 重要数据."""

    PUBLIC = 1
    NORMAL = 2
    SENSITIVE = 3
    IMPORTANT = 4
    CONTROLLED = 5

    @property
    def zh(self) -> str:
        return _ZH[self.value]

    @property
    def en(self) -> str:
        return _EN[self.value]

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def shifted(self, steps: int) -> Level:
        """This level moved by ``steps``, clamped to the scale."""
        return Level(min(max(self.value + steps, Level.PUBLIC), Level.CONTROLLED))

    @classmethod
    def parse(cls, text: str | int | Level) -> Level:
        """A level from its English name, Chinese name (with or without 级) or number."""
        if isinstance(text, Level):
            return text
        if isinstance(text, int) and not isinstance(text, bool):
            if 1 <= text <= 5:
                return cls(text)
        elif isinstance(text, str):
            key = text.strip().lower()
            for value, name in _EN.items():
                if key == name or key == _ZH[value] or key == _ZH[value].removesuffix("级"):
                    return cls(value)
        names = ", ".join(f"{_EN[v]} ({_ZH[v]})" for v in _EN)
        raise UnknownNameError(f"unknown level {text!r}; levels are {names}")

    def __str__(self) -> str:
        return self.en
