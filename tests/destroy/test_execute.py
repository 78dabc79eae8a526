from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from medshield.destroy import Selection, destroy, key_digest, record
from medshield.errors import (
    AccessDeniedError,
    InputError,
    SensitivePayloadError,
    ServiceUnavailableError,
    StoreError,
)
from medshield.ledger import Ledger
from medshield.lineage import graph_from_ledger

Remaining = Callable[[str], list[tuple[int, str, str]]]


def test_destroy_by_condition_deletes_verifies_and_certifies(
    source_url: str, ledger: Ledger, remaining: Remaining, visits: list[Any]
) -> None:
    selection = Selection("visits", where="diagnosis = '免疫性血小板减少症' OR name = '欧阳娜娜'")
    cert = record(ledger, destroy(source_url, selection, approved_by="committee-01",
                                  operator="secadmin-2"))  # fmt: skip
    assert [r[0] for r in remaining(source_url)] == [2, 4, 6]
    assert remaining(source_url)[0] == (2, "张三", "癌症")
    assert cert.rows == 3 and cert.verified
    assert cert.key_digest == key_digest([(1,), (3,), (5,)])
    [certificate] = list(ledger.records(action_prefix="lifecycle.destroy"))
    assert (certificate.seq, certificate.hash) == (cert.seq, cert.hash)
    detail = certificate.event.detail
    assert detail["approved_by"] == "committee-01" and detail["verified"] is True
    assert detail["rows"] == 3 and detail["method"] == "delete"
    assert certificate.event.actor == "secadmin-2" and certificate.event.outcome == "info"
    [step] = list(graph_from_ledger(ledger))
    assert step.stage == "destroy" and step.rows == 3 and step.job == cert.certificate_id
    assert ledger.verify().ok


def test_destroy_older_than(source_url: str, ledger: Ledger, remaining: Remaining) -> None:
    selection = Selection("visits", older_than_days=365 * 20, date_column="visited")
    cert = destroy(source_url, selection, approved_by="committee-01", operator="secadmin-2",
                   now=datetime(2026, 6, 1, tzinfo=UTC))  # fmt: skip
    assert cert.rows == 3 and cert.verified
    assert [r[0] for r in remaining(source_url)] == [4, 5, 6]


def test_dry_run_changes_nothing(source_url: str, remaining: Remaining) -> None:
    cert = destroy(source_url, Selection("visits", where="id <= 2"), approved_by="c1",
                   operator="op", dry_run=True)  # fmt: skip
    assert cert.rows == 2 and cert.dry_run
    assert len(remaining(source_url)) == 6


@pytest.mark.parametrize("approver", [None, "", "   "])
def test_refused_without_approver(
    source_url: str, remaining: Remaining, approver: str | None
) -> None:
    with pytest.raises(AccessDeniedError):
        destroy(
            source_url, Selection("visits", where="id = 1"), approved_by=approver, operator="op"
        )
    assert len(remaining(source_url)) == 6


@pytest.mark.parametrize(
    "where", ["id = 1; DELETE FROM visits", "id IN (DELETE FROM visits RETURNING id)",
              "load_file('/etc/passwd') IS NOT NULL", "id = "],
)  # fmt: skip
def test_unsafe_or_broken_conditions_are_refused(
    source_url: str, remaining: Remaining, where: str
) -> None:
    with pytest.raises(InputError):
        destroy(source_url, Selection("visits", where=where), approved_by="c1", operator="op")
    assert len(remaining(source_url)) == 6


def test_whole_table_and_unknown_table_are_refused(source_url: str) -> None:
    with pytest.raises(InputError, match="whole table"):
        Selection("visits")
    with pytest.raises(InputError, match="no table"):
        destroy(source_url, Selection("nope", where="1 = 1"), approved_by="c1", operator="op")


def test_colon_in_a_literal_is_not_a_bind_parameter(source_url: str, remaining: Remaining) -> None:
    cert = destroy(source_url, Selection("visits", where="diagnosis = '肺炎：社区获得性' OR "
                   "name = 'a:b'"), approved_by="c1", operator="op")  # fmt: skip
    assert cert.rows == 1 and 6 not in [r[0] for r in remaining(source_url)]


def test_composite_primary_key(source_url: str) -> None:
    from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, func, select

    table = Table("orders", MetaData(), Column("hospital", String(8), primary_key=True),
                  Column("no", Integer, primary_key=True), Column("drug", String(32)))  # fmt: skip
    engine = create_engine(source_url)
    table.metadata.create_all(engine)
    rows = [("h1", 1, "蒙脱石散"), ("h1", 2, "阿司匹林"), ("h2", 1, "蒙脱石散")]
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"hospital": h, "no": n, "drug": d} for h, n, d in rows])
    cert = destroy(source_url, Selection("orders", where="drug = '蒙脱石散'"), approved_by="c1",
                   operator="op")  # fmt: skip
    assert cert.rows == 2 and cert.verified
    assert cert.key_digest == key_digest([("h1", 1), ("h2", 1)])
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(table)) == 1
    engine.dispose()


def test_unknown_column_and_unreachable_source_are_clear_errors(
    source_url: str, remaining: Remaining
) -> None:
    with pytest.raises(StoreError, match="destruction failed"):
        destroy(source_url, Selection("visits", where="nope = 1"), approved_by="c1", operator="op")
    assert len(remaining(source_url)) == 6
    with pytest.raises(ServiceUnavailableError):
        destroy("postgresql+psycopg://nobody@127.0.0.1:1/none", Selection("visits", where="id = 1"),
                approved_by="c1", operator="op")  # fmt: skip


def test_patient_column_puts_the_destruction_in_the_patients_flow(
    source_url: str, ledger: Ledger, remaining: Remaining
) -> None:
    from medshield.lineage import patient_flow

    cert = record(ledger, destroy(source_url, Selection("visits", where="id IN (1, 2, 3)"),
                                  approved_by="c1", operator="op", patient_column="patient"))  # fmt: skip
    graph = graph_from_ledger(ledger)
    [step] = patient_flow(graph, "k1:PAAAAAAAAAAAAAAAA")
    assert step.stage == "destroy" and step.job == cert.certificate_id
    assert patient_flow(graph, "k1:PCCCCCCCCCCCCCCCC") == []
    [certificate] = list(ledger.records(action_prefix="lifecycle.destroy"))
    assert certificate.event.detail["patients"] == 2
    assert "k1:PAAAAAAAAAAAAAAAA" not in certificate.event.model_dump_json()


def test_a_patient_column_of_raw_names_is_refused_before_deleting(
    source_url: str, remaining: Remaining
) -> None:
    with pytest.raises(SensitivePayloadError):
        destroy(source_url, Selection("visits", where="id = 1"), approved_by="c1", operator="op",
                patient_column="name")  # fmt: skip
    assert len(remaining(source_url)) == 6


def test_a_selection_holding_a_raw_id_is_refused_before_deleting(
    source_url: str, remaining: Remaining
) -> None:
    with pytest.raises(SensitivePayloadError):
        destroy(source_url, Selection("visits", where="id = 1 OR name = '11010519491231002X'"),
                approved_by="c1", operator="op")  # fmt: skip
    assert len(remaining(source_url)) == 6
