"""``keep``: the value as it is (an element whose default masking is ``none``)."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl
from pydantic import BaseModel

from medshield.mask.operators.base import MaskContext
from medshield.registry import NoParams


class Keep:
    name: ClassVar[str] = "keep"
    Params: ClassVar[type[BaseModel]] = NoParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        del params, context

    def mask_value(self, value: Any) -> Any:
        return value

    def apply(self, column: pl.Series) -> pl.Series:
        return column
