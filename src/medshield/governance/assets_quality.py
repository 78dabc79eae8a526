"""The quality of one catalogued table, measured on its source (R37): null rates per column,
identity numbers with a wrong check character (GB 11643), and the age of its newest date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, column, func, select, table
from sqlalchemy.exc import SQLAlchemyError

from medshield.detect.id_card import check_char
from medshield.errors import StoreError
from medshield.policy.governance import AssetSettings

ID_ELEMENT = "DE02.01.030.00"  # 身份证件号码
ID_SAMPLE = 20000  # identity numbers read per table
_ID18 = re.compile(r"^\d{17}[\dX]$")
_ID15 = re.compile(r"^\d{15}$")  # first-generation numbers carry no check character
_DATED = ("date", "time")  # column types whose newest value says how fresh a table is


@dataclass(frozen=True)
class TableQuality:
    rows: int
    max_null_rate: float
    null_column: str
    ids_checked: int
    invalid_ids: int
    newest: date | None
    fresh_days: int | None

    def findings(self, settings: AssetSettings) -> list[str]:
        found = []
        if self.max_null_rate > settings.max_null_rate:
            found.append(f"空值率过高 {self.null_column} {self.max_null_rate:.0%}")
        if self.invalid_ids:
            found.append(f"身份证号校验位错误 {self.invalid_ids}/{self.ids_checked}")
        if self.fresh_days is not None and self.fresh_days > settings.freshness_days:
            found.append(f"数据陈旧 {self.fresh_days} 天")
        return found


def valid_id_number(value: str) -> bool:
    """An 18-character number with its right check character, or a 15-digit one."""
    text = value.strip().upper()
    if _ID15.match(text):
        return True
    return bool(_ID18.match(text)) and check_char(text[:17]) == text[17]


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value)[:19]).date() if value is not None else None
    except ValueError:
        return None


def measure_table(
    engine: Engine,
    name: str,
    schema: str,
    columns: dict[str, tuple[str, str | None]],
    today: date | None = None,
) -> TableQuality:
    """Measure one table; ``columns`` maps each column to its type and data element."""
    target = table(name, *(column(c) for c in columns), schema=schema or None)
    counts = [func.count(target.c[c]) for c in columns]
    dated = [c for c, (kind, _) in columns.items() if any(d in kind.lower() for d in _DATED)]
    newest = [func.max(target.c[c]) for c in dated]
    ids = [c for c, (_, element) in columns.items() if element == ID_ELEMENT]
    try:
        with engine.connect() as conn:
            total, *filled = conn.execute(select(func.count(), *counts).select_from(target)).one()
            latest = conn.execute(select(*newest)).one() if newest else ()
            values = [
                str(v)
                for c in ids
                for (v,) in conn.execute(
                    select(target.c[c]).where(target.c[c].is_not(None)).limit(ID_SAMPLE)
                )
            ]
    except SQLAlchemyError as exc:
        raise StoreError(
            f"cannot measure table {name}: {exc.__class__.__name__}", where=name
        ) from None
    rates = {c: (1 - n / total if total else 0.0) for c, n in zip(columns, filled, strict=True)}
    worst = max(rates, key=lambda c: rates[c], default="")
    dates = [d for d in (_as_date(v) for v in latest) if d is not None]
    last = max(dates, default=None)
    today = today or datetime.now(UTC).date()
    return TableQuality(
        rows=int(total),
        max_null_rate=rates.get(worst, 0.0),
        null_column=worst,
        ids_checked=len(values),
        invalid_ids=sum(1 for v in values if not valid_id_number(v)),
        newest=last,
        fresh_days=(today - last).days if last else None,
    )
