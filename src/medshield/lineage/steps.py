"""Recording one lifecycle step of data as a ``lineage.<stage>`` ledger event (R15).

A step says which data moved from where to where, in what form, by whom, between which times,
and for which patients (keyed pseudonyms only: a raw identifier is refused before it reaches the
ledger).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NotRequired, Protocol, TypedDict, Unpack

from medshield.elements.levels import Level
from medshield.errors import InputError, SensitivePayloadError
from medshield.ledger.events import DataObject, Event
from medshield.policy.context import Form, Stage

ACTION_PREFIX = "lineage."

# What a keyed pseudonym may look like, and what a raw identifier looks like.
_PSEUDONYM = re.compile(r"^[A-Za-z][A-Za-z0-9_:-]{7,127}$")
_RAW_ID = re.compile(r"\d{17}[\dXx]|\d{15}|1[3-9]\d{9}")


class AppendOnly(Protocol):
    """What ``record_step`` needs of a ledger."""

    def append(self, event: Event) -> Any: ...


def split_node(node: str) -> tuple[str, str]:
    """``"source/table"`` -> ``("source", "table")``; the table part holds no slash."""
    source, sep, table = node.rpartition("/")
    if not sep or not source or not table:
        raise InputError(f"expected SOURCE/TABLE, got {node!r}", where="lineage link")
    return source, table


def check_pseudonym(value: str) -> str:
    """``value`` if it is shaped like a keyed pseudonym; a raw identifier is refused."""
    body = value.partition(":")[2] or value  # a key id in front may be a timestamp
    if _RAW_ID.search(body) or not _PSEUDONYM.match(value):
        raise SensitivePayloadError(
            "lineage records keyed pseudonyms only (a letter, then 8-128 letters, digits, _ : -),"
            " never a raw identifier",
            where="patient_pseudonyms",
        )
    return value


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment if moment.tzinfo is UTC else moment.astimezone(UTC)).isoformat()


def lineage_event(
    *,
    stage: Stage | str,
    actor: str,
    from_: str,
    to: str,
    form: Form | str,
    elements: Iterable[str] = (),
    level: Level | str | None = None,
    rows: int | None = None,
    time_in: datetime,
    time_out: datetime,
    pseudonyms: Iterable[str] = (),
    columns: Iterable[str] = (),
    job: str | None = None,
    institution: str | None = None,
) -> Event:
    """The ledger event of one lifecycle step (not yet appended)."""
    if time_out < time_in:
        raise InputError("time_out is before time_in", where=f"lineage {from_} -> {to}")
    if rows is not None:
        rows = _count(rows, f"lineage {from_} -> {to}")
    step = _step(stage, actor, from_, to, form, tuple(elements), level, tuple(columns), job,
                 institution)  # fmt: skip
    detail = {
        **step.detail,
        "time_in": (stamp := _iso(time_in)),
        "time_out": stamp if time_out is time_in else _iso(time_out),
        "patient_pseudonyms": sorted({check_pseudonym(p) for p in pseudonyms}),
    }
    return step.revised(at=datetime.now(UTC), rows=rows, detail=detail)  # each checked above


def _count(rows: object, where: str) -> int:
    try:
        count = operator.index(rows)  # type: ignore[arg-type]
    except TypeError:
        count = -1
    if count < 0:
        raise InputError(f"rows must be a count, not {rows!r}", where=where)
    return count


@lru_cache(maxsize=1024)
def _step(
    stage: Stage | str, actor: str, from_: str, to: str, form: Form | str,
    elements: tuple[str, ...], level: Level | str | None, columns: tuple[str, ...],
    job: str | None, institution: str | None,
) -> Event:  # fmt: skip
    """What a step's events share from call to call, validated once (the link, form, data)."""
    try:
        stage_ = Stage(stage)
        form_ = Form(form)
    except ValueError as exc:
        raise InputError(str(exc), where="lineage step") from None
    split_node(from_)
    source, table = split_node(to)
    return Event(
        action=f"{ACTION_PREFIX}{stage_.value}",
        actor=actor,
        institution=institution,
        object=DataObject(source=source, table=table, columns=columns),
        elements=elements,
        levels=() if level is None else (Level.parse(level).en,),
        detail={"form": form_.value, "link": {"from": from_, "to": to}, "job": job},
    )


class Step(TypedDict):
    """The keyword arguments of ``lineage_event`` (and so of ``record_step``)."""

    stage: Stage | str
    actor: str
    from_: str
    to: str
    form: Form | str
    elements: NotRequired[Iterable[str]]
    level: NotRequired[Level | str | None]
    rows: NotRequired[int | None]
    time_in: datetime
    time_out: datetime
    pseudonyms: NotRequired[Iterable[str]]
    columns: NotRequired[Iterable[str]]
    job: NotRequired[str | None]
    institution: NotRequired[str | None]


def record_step(ledger: AppendOnly, **step: Unpack[Step]) -> Any:
    """Build the ``lineage.<stage>`` event of one step and append it; return the receipt."""
    return ledger.append(lineage_event(**step))
