"""A real ledger in a fresh SQLite store, keyed pseudonyms made by the masking operator, and a
small recorded flow: collect at two hospitals -> transmit to the hub -> store -> masked share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from medshield.ledger import Ledger, open_ledger
from medshield.lineage import record_step
from medshield.mask.operators.pseudonym import make_pseudonym

KEY = b"k" * 32
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def pseudonym() -> Callable[[str], str]:
    return lambda patient_id: make_pseudonym(patient_id, "k1", KEY, length=16, prefix="P")


@pytest.fixture
def at() -> Callable[[float], datetime]:
    return lambda minutes: T0 + timedelta(minutes=minutes)


@pytest.fixture
def ledger(sqlite_url: str) -> Iterator[Ledger]:
    with open_ledger(sqlite_url) as opened:
        yield opened


@pytest.fixture
def flow(
    ledger: Ledger, pseudonym: Callable[[str], str], at: Callable[[float], datetime]
) -> dict[str, str]:
    """Records the flow; returns the pseudonyms of patients a (hospital A) and b (hospital B)."""
    a, b = pseudonym("110101199003077578"), pseudonym("440301198512120019")
    steps = [
        # stage, actor, from, to, form, minutes in, out, patients
        ("collect", "his-a", "hosp_a/his_visit", "hosp_a/ods_visit", "raw", 0, 1, [a]),
        ("collect", "his-b", "hosp_b/his_visit", "hosp_b/ods_visit", "raw", 0, 1, [b]),
        ("transmit", "etl", "hosp_a/ods_visit", "hub/ods_visit", "raw", 10, 12, [a]),
        ("transmit", "etl", "hosp_b/ods_visit", "hub/ods_visit", "raw", 30, 31, [b]),
        ("process", "mask-job", "hub/ods_visit", "hub/visit_masked", "masked", 20, 25, [a]),
        ("share", "researcher-7", "hub/visit_masked", "research/cohort", "masked", 40, 41, [a]),
        # left hub/ods_visit before anything arrived there: carries none of hospital A's data
        ("share", "early-job", "hub/ods_visit", "stats/early", "aggregated", 5, 6, []),
    ]
    for stage, actor, src, dst, form, t_in, t_out, patients in steps:
        record_step(
            ledger,
            stage=stage,
            actor=actor,
            from_=src,
            to=dst,
            form=form,
            level="sensitive",
            rows=10,
            time_in=at(t_in),
            time_out=at(t_out),
            pseudonyms=patients,
        )
    return {"a": a, "b": b}
