"""``dictionary``: clinical text -> term code (癌症 -> CA, 免疫性血小板减少症 -> ITP) or drug
brand -> generic name (思密达 -> 蒙脱石散), through the masking dictionary.

The dictionary comes from ``context.extras["dictionary"]`` (the batch the policy pins); the
shipped starter dictionary when none is given. A value the dictionary does not know is kept,
suppressed (null) or flagged (replaced by a marker), as the params say.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from medshield.errors import MaskingError
from medshield.mask.dictionary import MaskingDictionary, normalise_term, starter_dictionary
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.distinct import Memo, as_text, map_distinct


class DictionaryParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["term", "drug"] = "term"
    # exact: the whole value is a term; longest: the longest term found inside the value
    # (2型糖尿病伴周围神经病变 -> E11.x of 2型糖尿病), the whole value becomes its code
    match: Literal["exact", "longest"] = "exact"
    min_length: int = Field(default=2, ge=1, le=20)  # shortest term "longest" looks for
    unknown: Literal["keep", "suppress", "flag"] = "flag"
    flag: str = Field(default="[未收录]", max_length=40)


class DictionaryLookup:
    name: ClassVar[str] = "dictionary"
    Params: ClassVar[type[BaseModel]] = DictionaryParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        assert isinstance(params, DictionaryParams)
        self.p = params
        given = context.extras.get("dictionary")
        if given is not None and not isinstance(given, MaskingDictionary):
            raise MaskingError("extras['dictionary'] is not a MaskingDictionary")
        self.dictionary = given or starter_dictionary()
        self._memo = Memo()

    def _longest(self, text: str) -> str | None:
        clean = normalise_term(text)
        for size in range(len(clean), self.p.min_length - 1, -1):
            for start in range(len(clean) - size + 1):
                found = self.dictionary.lookup(self.p.kind, clean[start : start + size])
                if found is not None:
                    return found
        return None

    def mask_value(self, value: Any) -> str | None:
        text = str(value)
        found = self.dictionary.lookup(self.p.kind, text)
        if found is None and self.p.match == "longest":
            found = self._longest(text)
        if found is not None:
            return found
        if self.p.unknown == "keep":
            return text
        return None if self.p.unknown == "suppress" else self.p.flag

    def apply(self, column: pl.Series) -> pl.Series:
        return map_distinct(as_text(column), self.mask_value, pl.String, self._memo)
