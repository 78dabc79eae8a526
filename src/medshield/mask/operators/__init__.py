"""Masking operators: one small class a file, listed in ``OPERATORS``.

Each operator has a ``name`` (used in masking.yaml and ledger records), a pydantic ``Params``,
``apply(column)`` vectorised over a Polars Series (every engine) and ``mask_value(value)``, the
same transformation of one non-null value (the fast path of dynamic masking).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import polars as pl

from medshield.mask.operators.base import MaskContext, MaskOperator
from medshield.mask.operators.cover import Cover
from medshield.mask.operators.cut_address import CutAddress
from medshield.mask.operators.date_shift import DateShift
from medshield.mask.operators.dictionary import DictionaryLookup
from medshield.mask.operators.fpe import Fpe
from medshield.mask.operators.generalize import Generalize
from medshield.mask.operators.id_to_age import IdToAge
from medshield.mask.operators.id_to_age_band import IdToAgeBand
from medshield.mask.operators.id_to_birth import IdToBirth
from medshield.mask.operators.keep import Keep
from medshield.mask.operators.pseudonym import Pseudonym
from medshield.mask.operators.random_id import RandomId
from medshield.mask.operators.suppress import Suppress
from medshield.mask.operators.text_scrub import TextScrub
from medshield.registry import Registry, check_params

OPERATORS: tuple[type[Any], ...] = (
    Keep,
    Suppress,
    Cover,
    CutAddress,
    IdToBirth,
    IdToAge,
    IdToAgeBand,
    Generalize,
    DictionaryLookup,
    Pseudonym,
    RandomId,
    Fpe,
    DateShift,
    TextScrub,
)


@cache
def operator_registry() -> Registry[Any]:
    """Built-in operators plus those of the ``medshield.mask_operators`` entry-point group."""
    return Registry("mask_operators", OPERATORS)


def build_operator(
    name: str, params: dict[str, Any], context: MaskContext, *, where: str | None = None
) -> MaskOperator:
    """The operator ``name`` with ``params`` validated (``PolicyError`` naming ``where``)."""
    cls = operator_registry().get(name)
    checked = check_params(cls, params, where=where or f"operator {name}")
    operator: MaskOperator = cls(checked, context)
    return operator


def apply_operator(operator: MaskOperator, frame: pl.DataFrame, column: str) -> pl.Series:
    """Mask ``frame[column]``; operators that read other columns (``date_shift`` reads the
    patient key) get a struct of the column followed by those columns."""
    extra: tuple[str, ...] = getattr(operator, "extra_columns", ())
    if not extra:
        return operator.apply(frame[column])
    present = [c for c in extra if c in frame.columns]
    packed = frame.select(pl.struct([column, *present]).alias(column)).to_series()
    return operator.apply(packed)


__all__ = [
    "OPERATORS",
    "MaskContext",
    "MaskOperator",
    "apply_operator",
    "build_operator",
    "operator_registry",
]
