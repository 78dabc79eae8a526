"""Data assets (R37): owner and steward per table, quality measured on the source, use from the
ledger per asset and per institution."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from medshield.classify.catalog import open_catalog, scan_source
from medshield.cli.app import app
from medshield.detect.id_card import check_char
from medshield.governance.assets import catalogue_assets, record_usage, source_key
from medshield.governance.assets_quality import measure_table, valid_id_number
from medshield.ledger import DataObject, Event, open_ledger
from medshield.policy import load_bundle

runner = CliRunner()


def _id(first17: str) -> str:
    return first17 + check_char(first17)


@pytest.fixture
def source(tmp_path: Path) -> str:
    """h1's HIS: six patients, one identity number with a wrong check character, a remark
    column mostly empty, and visits whose newest is 45 days old."""
    url = f"sqlite:///{tmp_path / 'h1.sqlite'}"
    good = [_id(f"1101051949123{n:03d}0") for n in range(5)]
    bad = good[0][:17] + ("0" if good[0][17] != "0" else "1")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE patient (patient_id INTEGER PRIMARY KEY, "
                          "name VARCHAR(20), id_no VARCHAR(18), remark TEXT)"))  # fmt: skip
        for n, (name, id_no) in enumerate(zip("张王李赵刘陈", [*good, bad], strict=True)):
            remark = "过敏史" if n == 0 else None
            conn.execute(text("INSERT INTO patient VALUES (:i, :n, :d, :r)"),
                         {"i": n, "n": name + "三", "d": id_no, "r": remark})  # fmt: skip
        conn.execute(text("CREATE TABLE visit (visit_id INTEGER PRIMARY KEY, "
                          "patient_id INTEGER, visit_date DATE)"))  # fmt: skip
        newest = date.today() - timedelta(days=45)
        for n in range(3):
            conn.execute(text("INSERT INTO visit VALUES (:i, :p, :d)"),
                         {"i": n, "p": n, "d": (newest - timedelta(days=n)).isoformat()})  # fmt: skip
    engine.dispose()
    return url


def test_valid_id_numbers() -> None:
    assert valid_id_number("11010519491231002X") and valid_id_number("110105491231002")
    assert not valid_id_number("110105194912310021") and not valid_id_number("1101051949")


def test_source_key_is_the_database_name() -> None:
    assert source_key("sqlite:////data/alliance/h1.sqlite") == "h1"
    assert source_key("postgresql://u@db:5432/his_m2") == "his_m2"


def test_owner_quality_and_use_per_asset(source: str, sqlite_url: str) -> None:
    bundle = load_bundle()
    store = open_catalog(sqlite_url)
    scan_source(store, source, bundle)
    assets = {a.table: a for a in catalogue_assets(store, bundle)}
    patient, visit = assets["patient"], assets["visit"]
    assert (patient.source, patient.owner, patient.steward) == ("h1", "h1", "office-01")
    assert patient.level == "important"

    engine = create_engine(source)
    patient.quality = measure_table(engine, "patient", "", patient.columns)
    visit.quality = measure_table(engine, "visit", "", visit.columns)
    engine.dispose()
    assert (patient.quality.rows, patient.quality.null_column) == (6, "remark")
    assert patient.quality.max_null_rate == pytest.approx(5 / 6)
    assert (patient.quality.ids_checked, patient.quality.invalid_ids) == (6, 1)
    assert visit.quality.fresh_days == 45 and visit.quality.invalid_ids == 0
    findings = patient.findings(bundle)
    assert any("空值率过高 remark" in f for f in findings)
    assert any("身份证号校验位错误 1/6" in f for f in findings)
    assert visit.findings(bundle) == ["数据陈旧 45 天"]

    now = datetime.now(UTC)
    with open_ledger(sqlite_url) as ledger:
        for institution, outcome, rows in (("m1", "allow", 1), ("m1", "allow", 1),
                                           ("m2", "allow", 1), ("m3", "deny", 0)):  # fmt: skip
            ledger.append(Event(action="gateway.call", actor="token:t", institution=institution,
                                object=DataObject(api="patient.summary"), outcome=outcome,
                                rows=rows, at=now))  # fmt: skip
        ledger.append(Event(action="audit.query.release", actor="researcher-01", rows=40, at=now,
                            detail={"source": source, "tables": ["main.visit", "patient"]}))  # fmt: skip
        ledger.append(Event(action="gateway.call", actor="token:t", institution="m4",
                            object=DataObject(api="patient.summary"), outcome="allow", rows=1,
                            at=now - timedelta(days=200)))  # fmt: skip
        record_usage(list(assets.values()), ledger, bundle)
    assert (patient.calls, patient.records) == (4, 43)
    assert dict(patient.users) == {"m1": 2, "m2": 1, "researcher-01": 1}
    assert (visit.calls, visit.records, dict(visit.users)) == (1, 40, {"researcher-01": 1})
    store.dispose()


def test_the_assets_report(source: str, sqlite_url: str) -> None:
    store = open_catalog(sqlite_url)
    scan_source(store, source, load_bundle())
    store.dispose()
    args = ["assets", "report", source, "--store", sqlite_url, "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = {r["table"]: r for r in json.loads(result.output)}
    assert rows["patient"]["invalid_ids"] == 1 and rows["patient"]["steward"] == "office-01"
    assert rows["visit"]["fresh_days"] == 45 and "数据陈旧" in rows["visit"]["findings"]
    unknown = runner.invoke(app, ["assets", "report", "sqlite:////nowhere/x.db", "--store",
                                  sqlite_url])  # fmt: skip
    assert unknown.exit_code == 1 and "not in the catalogue" in str(unknown.exception)
