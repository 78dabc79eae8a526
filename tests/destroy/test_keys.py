from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table, create_engine, select

from medshield.destroy import PatientKeys, Selection, destroy
from medshield.errors import AccessDeniedError, SensitivePayloadError, UnknownNameError

A, B = "k1:PAAAAAAAAAAAAAAAA", "k1:PBBBBBBBBBBBBBBBB"


def _sealed_table(url: str, keys: PatientKeys) -> Table:
    table = Table("notes", MetaData(), Column("id", Integer, primary_key=True),
                  Column("patient", String(64)), Column("note", LargeBinary))  # fmt: skip
    engine = create_engine(url)
    table.metadata.create_all(engine)
    rows = [(1, A, "张三：免疫性血小板减少症"), (2, A, "复诊"), (3, B, "欧阳娜娜：高血压")]
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"id": i, "patient": p, "note": keys.seal(p, n)}
                                      for i, p, n in rows])  # fmt: skip
    engine.dispose()
    return table


def test_seal_and_open_round_trip_chinese(tmp_path: Path) -> None:
    keys = PatientKeys(create_engine(f"sqlite:///{tmp_path / 'keys.db'}"))
    token = keys.seal(A, "张三：免疫性血小板减少症")
    assert "张三".encode() not in token
    assert keys.open(A, token) == "张三：免疫性血小板减少症"
    with pytest.raises(SensitivePayloadError):
        keys.seal("110101199003077578", "x")


def test_crypto_shred_makes_the_patients_rows_unreadable(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    key_url = f"sqlite:///{tmp_path / 'keys.db'}"
    keys = PatientKeys(create_engine(key_url))
    table = _sealed_table(source, keys)
    cert = destroy(source, Selection("notes", where=f"patient = '{A}'"), approved_by="c1",
                   operator="op", method="crypto_shred", key_column="patient",
                   keys_url=key_url)  # fmt: skip
    assert cert.verified and cert.keys_shredded == 1 and cert.rows == 2
    engine = create_engine(source)
    with engine.connect() as conn:
        notes = dict(conn.execute(select(table.c.id, table.c.note)).all())
    assert sorted(notes) == [1, 2, 3]  # the rows stay ...
    with pytest.raises(UnknownNameError):
        keys.open(A, notes[1])  # ... but cannot be read any more
    assert keys.open(B, notes[3]) == "欧阳娜娜：高血压"


def test_crypto_shred_refuses_to_destroy_more_than_selected(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    keys = PatientKeys(create_engine(source))
    _sealed_table(source, keys)
    with pytest.raises(AccessDeniedError, match="outside the selection"):
        destroy(source, Selection("notes", where="id = 1"), approved_by="c1", operator="op",
                method="crypto_shred", key_column="patient")  # fmt: skip
    assert keys.present([A, B]) == 2
