"""The shape of every masking operator.

An operator is a small class in its own file: a stable ``name`` (used in policy files and ledger
records), a pydantic ``Params`` model checked when the policy loads, and ``apply`` over one whole
column (a Polars Series), so one implementation serves the local engine, the Spark engine
(through Arrow batches) and dynamic masking of API responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import polars as pl
from pydantic import BaseModel


@dataclass(frozen=True)
class MaskContext:
    """What an operator may need besides the column: keys, the dictionary, the release."""

    keys: dict[str, bytes] = field(default_factory=dict)  # key id -> secret, for pseudonyms
    active_key: str | None = None
    release_id: str = "adhoc"  # random identifiers are unique per release only
    seed: int = 0
    extras: dict[str, Any] = field(default_factory=dict)  # dictionary, admin divisions, ...


class MaskOperator(Protocol):
    name: ClassVar[str]
    Params: ClassVar[type[BaseModel]]

    def __init__(self, params: BaseModel, context: MaskContext) -> None: ...

    def apply(self, column: pl.Series) -> pl.Series:
        """The masked column: same length, nulls stay null."""
        ...
