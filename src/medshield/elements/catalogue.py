"""The data-element catalogue shipped with the package (``data/elements.yaml``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources import files
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from medshield.elements.categories import CATEGORY_KEYS
from medshield.elements.levels import Level
from medshield.errors import UnknownNameError

ELEMENT_CODE = r"^DE\d{2}\.\d{2}\.\d{3}\.\d{2}$"


class DataElement(BaseModel):
    """One data element (数据元): what a column can hold."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=ELEMENT_CODE)
    zh: str
    en: str
    category: str
    level: Level
    masking: str
    identifier: Literal["direct", "quasi", "none"]
    hipaa: str | None = None

    @field_validator("level", mode="before")
    @classmethod
    def _level(cls, value: object) -> Level:
        try:
            return Level.parse(value)  # type: ignore[arg-type]
        except UnknownNameError as exc:  # pydantic places a ValueError in the file
            raise ValueError(exc.message) from None

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        if value not in CATEGORY_KEYS:
            raise ValueError(
                f"unknown category {value!r}; known: {', '.join(sorted(CATEGORY_KEYS))}"
            )
        return value


class ElementCatalogue(Mapping[str, DataElement]):
    """Code -> element, in catalogue order."""

    def __init__(self, elements: list[DataElement]) -> None:
        self._by_code = {e.code: e for e in elements}

    def __getitem__(self, code: str) -> DataElement:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownNameError(f"unknown data element {code!r}") from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str, default: DataElement | None = None) -> DataElement | None:  # type: ignore[override]
        return self._by_code.get(code, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self._by_code)

    def with_overrides(self, changes: Mapping[str, Mapping[str, object]]) -> ElementCatalogue:
        """A new catalogue with fields of some elements replaced (policy overrides)."""
        elements = [
            e.model_validate({**e.model_dump(), **changes[e.code]}) if e.code in changes else e
            for e in self._by_code.values()
        ]
        return ElementCatalogue(elements)

    def extended(self, extra: list[DataElement]) -> ElementCatalogue:
        return ElementCatalogue([*self._by_code.values(), *extra])


@cache
def load_catalogue() -> ElementCatalogue:
    """The built-in catalogue."""
    text = files("medshield.elements").joinpath("data/elements.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return ElementCatalogue([DataElement.model_validate(e) for e in raw["elements"]])
