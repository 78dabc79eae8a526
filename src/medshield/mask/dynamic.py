"""Dynamic masking (R17): API and query responses masked per call, with the same plans and
operators as static masking.

A response is small (tens of rows), so each planned column runs the operator's scalar path
(``mask_value``, identical to its vectorised ``apply``) instead of building Polars columns.
Compiled plans are cached per (columns, context, policy version, mask context); values of
costly operators are memoised per compiled plan. A field of a record that is not in the column
map is suppressed (fail closed). Every call passes the masking gate first
(``policy.grant_masking``): a context the policy refuses gets ``MaskingRefusedError`` and no
record at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl

from medshield.mask.keys import key_ring_path
from medshield.mask.operators.base import MaskContext, MaskOperator
from medshield.mask.plan import MaskPlan, plan_for
from medshield.mask.release import release_context
from medshield.policy.bundle import PolicyBundle
from medshield.policy.context import UseContext
from medshield.policy.grant import grant_masking

MEMO_SIZE = 4096
RowMasker = Callable[[Any, Mapping[str, Any]], Any]


@dataclass(frozen=True)
class CompiledPlan:
    plan: MaskPlan
    context: MaskContext  # held, so the id in the cache key cannot be reused while cached
    keep: frozenset[str]  # columns shown as they are
    by_value: dict[str, Callable[[Any], Any]]  # memoised scalar paths
    by_row: dict[str, RowMasker]  # operators that read other columns of the record

    def apply(self, records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Each record masked by this plan; a column the plan does not know is None."""
        return [self._masked(record.items(), record) for record in records]

    def apply_rows(
        self, index: Mapping[str, int], rows: Iterable[Sequence[Any]], names: Sequence[str]
    ) -> list[dict[str, Any]]:
        """Rows given as sequences, cut to the columns ``names`` (in this order) and masked:
        ``apply`` of the cut records. ``index`` tells where each column is in a row."""
        at = [(name, index[name]) for name in names]
        cut = [{name: row[i] for name, i in at} for row in rows]
        # A row masker sees the named columns only.
        return self.apply(cut) if self.by_row else self._in_place(cut)

    def _in_place(self, out: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Records cut to the plan's named columns, masked column by column in place (the order
        of the keys stays): cheaper than building each record value by value."""
        if not out:
            return out
        for name in out[0]:
            fn = self.by_value.get(name)
            if fn is not None:
                for row in out:
                    if row[name] is not None:
                        row[name] = _memoised(fn, row[name])
            elif name not in self.keep:
                for row in out:
                    row[name] = None  # not in the column map: fail closed
        return out

    def _masked(
        self, items: Iterable[tuple[str, Any]], record: Mapping[str, Any]
    ) -> dict[str, Any]:
        """One record masked; ``items``: its (column, value) pairs, ``record``: what a row
        masker reads the other columns from."""
        keep, by_value, by_row = self.keep, self.by_value, self.by_row
        masked: dict[str, Any] = {}
        for name, value in items:
            fn = by_value.get(name)
            if fn is not None:
                masked[name] = None if value is None else _memoised(fn, value)
            elif name in keep:
                masked[name] = value
            elif name in by_row:
                masked[name] = None if value is None else by_row[name](value, record)
            else:
                masked[name] = None  # not in the column map: fail closed
        return masked


def _memoised(fn: Callable[[Any], Any], value: Any) -> Any:
    """``fn`` (an ``lru_cache``) of ``value``; an unhashable value skips the memo."""
    try:
        return fn(value)
    except TypeError:
        return fn.__wrapped__(value)  # type: ignore[attr-defined]


def _compile(plan: MaskPlan, context: MaskContext) -> CompiledPlan:
    keep: set[str] = set()
    by_value: dict[str, Callable[[Any], Any]] = {}
    by_row: dict[str, RowMasker] = {}
    for column, op in plan.operators(context).items():
        if plan[column].operator == "keep":
            keep.add(column)
            continue
        fn: Callable[[Any], Any] = getattr(op, "mask_value", None) or _through_apply(op)
        extra: tuple[str, ...] = getattr(op, "extra_columns", ())
        if extra:
            by_row[column] = _row_masker(fn, column, extra)
        else:
            by_value[column] = lru_cache(maxsize=MEMO_SIZE)(fn)
    return CompiledPlan(plan, context, frozenset(keep), by_value, by_row)


def _through_apply(op: MaskOperator) -> Callable[[Any], Any]:
    """The scalar path of an operator that has only ``apply`` (a plug-in): a one-value column."""

    def one(value: Any) -> Any:  # a value, or the struct row of an operator reading others
        return op.apply(pl.Series([value]))[0]

    return one


def _row_masker(fn: Callable[[Any], Any], column: str, extra: tuple[str, ...]) -> RowMasker:
    @lru_cache(maxsize=MEMO_SIZE)
    def memo(value: Any, others: tuple[Any, ...]) -> Any:
        return fn({column: value, **dict(zip(extra, others, strict=True))})

    def mask(value: Any, row: Mapping[str, Any]) -> Any:
        others = tuple(row.get(c) for c in extra)
        try:
            return memo(value, others)
        except TypeError:  # an unhashable value skips the memo
            return fn({column: value, **dict(zip(extra, others, strict=True))})

    return mask


_CACHE: dict[tuple[Any, ...], CompiledPlan] = {}
CACHE_SIZE = 1024  # compiled plans kept; the cache starts over when full
_LOCK = threading.Lock()
_DEFAULT: dict[str, MaskContext] = {}  # per policy version and key ring file


def default_mask_context(bundle: PolicyBundle) -> MaskContext:
    """The key ring of MEDSHIELD_HOME and the dictionary batch the policy pins."""
    key = f"{bundle.version}|{key_ring_path()}"
    if key not in _DEFAULT:
        _DEFAULT[key] = release_context(bundle, release_id="dynamic")
    return _DEFAULT[key]


def compiled_plan(
    columns: Mapping[str, str | None],
    context: UseContext,
    bundle: PolicyBundle,
    mask_context: MaskContext | None = None,
    levels: Mapping[str, str | None] | None = None,
) -> CompiledPlan:
    """The cached compiled plan of these columns in this context, once the gate grants it;
    ``levels`` are the columns' catalogue levels (overrides included), when known."""
    grant = grant_masking(bundle, context)  # every call: a cached plan never skips the gate
    ctx = mask_context if mask_context is not None else default_mask_context(bundle)
    graded = tuple(levels.items()) if levels else ()
    key = (tuple(columns.items()), graded, context, bundle.version, id(ctx))
    found = _CACHE.get(key)
    if found is None:
        with _LOCK:
            found = _CACHE.get(key)
            if found is None:
                found = _compile(plan_for(columns, grant, bundle, levels), ctx)
                if len(_CACHE) >= CACHE_SIZE:
                    _CACHE.clear()
                _CACHE[key] = found
    return found


def mask_records(
    records: Sequence[Mapping[str, Any]],
    columns: Mapping[str, str | None],
    context: UseContext,
    bundle: PolicyBundle,
    *,
    mask_context: MaskContext | None = None,
    levels: Mapping[str, str | None] | None = None,
) -> list[dict[str, Any]]:
    """Each record masked by the plan of ``columns`` (column -> data element) in ``context``;
    ``levels`` (column -> catalogue level) make overrides count."""
    return compiled_plan(columns, context, bundle, mask_context, levels).apply(records)
