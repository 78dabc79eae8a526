"""The catalogue across rescans: skips, overrides kept, regrades on policy change, in the ledger."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from medshield.classify.catalog import ScanOptions, open_catalog, scan_source
from medshield.classify.report import level_map, override, report_rows
from medshield.errors import InputError, UnknownNameError
from medshield.ledger import open_ledger
from medshield.policy import default_bundle_path, load_bundle


@pytest.fixture
def source(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'his.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE patient (id INTEGER PRIMARY KEY, name VARCHAR(20), gender CHAR(1), "
                "id_no VARCHAR(18), remark TEXT)"
            )
        )
        conn.execute(text("INSERT INTO patient VALUES (1, '张三', '1', '11010519491231002X', '')"))
        conn.execute(text("CREATE TABLE dept (id INTEGER PRIMARY KEY, name VARCHAR(20))"))
    engine.dispose()
    return url


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    return open_catalog(f"sqlite:///{tmp_path / 'store.db'}")


def _levels(store: Engine) -> dict[str, str]:
    return {f"{r['table']}.{r['column']}": r["level"] for r in report_rows(store)}


def test_first_scan_grades_every_column(store: Engine, source: str) -> None:
    summary = scan_source(store, source, load_bundle())
    assert (summary.tables, summary.classified, summary.skipped) == (2, 2, 0)
    levels = _levels(store)
    assert levels["patient.name"] == "important"
    assert levels["patient.id_no"] == "important"
    assert levels["dept.name"] == "public"
    mapping = level_map(store)
    (columns,) = [tables["patient"] for tables in mapping.values()]
    assert columns["id_no"] == {"element": "DE02.01.030.00", "level": "important"}


def test_unchanged_tables_are_skipped_and_changed_ones_reclassified(
    store: Engine, source: str
) -> None:
    bundle = load_bundle()
    scan_source(store, source, bundle)
    again = scan_source(store, source, bundle)
    assert (again.skipped, again.classified) == (2, 0)
    engine = create_engine(source)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE dept ADD COLUMN phone VARCHAR(20)"))
    engine.dispose()
    third = scan_source(store, source, bundle)
    assert (third.skipped, third.classified) == (1, 1)
    assert _levels(store)["dept.phone"] == "important"


def test_override_survives_rescan_and_is_in_the_ledger(
    store: Engine, source: str, tmp_path: Path
) -> None:
    bundle = load_bundle()
    scan_source(store, source, bundle)
    row = override(
        store,
        bundle,
        "his.db",
        "patient",
        "gender",
        level="sensitive",
        reason="罕见病专科门诊，性别可识别个人",
        by="medical-affairs",
    )
    assert row["level"] == "sensitive"
    engine = create_engine(source)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE patient ADD COLUMN phone VARCHAR(20)"))
    engine.dispose()
    assert scan_source(store, source, bundle).classified == 1
    assert _levels(store)["patient.gender"] == "sensitive"
    (kept,) = [r for r in report_rows(store) if r["column"] == "gender"]
    assert kept["override"] == "medical-affairs"
    url = store.url.render_as_string(hide_password=False)
    with open_ledger(url, bundle=bundle) as ledger:
        events = [r.event for r in ledger.records(action_prefix="catalog.override")]
    assert len(events) == 1
    assert events[0].actor == "medical-affairs"
    assert events[0].object.columns == ("gender",)
    assert "罕见病" in events[0].reasons[0]


def test_policy_change_regrades_without_reading_data(
    store: Engine, source: str, tmp_path: Path
) -> None:
    scan_source(store, source, load_bundle())
    folder = tmp_path / "policy"
    shutil.copytree(default_bundle_path(), folder)
    elements = folder / "elements.yaml"
    elements.write_text(
        elements.read_text(encoding="utf-8").replace(
            "overrides:\n",
            "overrides:\n  DE02.01.040.00: {level: sensitive, reason: 性别按敏感级管理}\n",
        ),
        encoding="utf-8",
    )
    changed = load_bundle(folder)
    engine = create_engine(source)
    with engine.begin() as conn:  # the data changes, but a regrade reads none of it
        conn.execute(text("UPDATE patient SET remark = '电话13800138000'"))
    engine.dispose()
    summary = scan_source(store, source, changed, options=ScanOptions(sample=10))
    assert (summary.regraded, summary.classified) == (2, 0)
    assert _levels(store)["patient.gender"] == "sensitive"
    assert [(c.column, c.level_before, c.level_after) for c in summary.changes] == [
        ("gender", "normal", "sensitive")
    ]
    url = store.url.render_as_string(hide_password=False)
    with open_ledger(url, bundle=changed) as ledger:
        (event,) = [r.event for r in ledger.records(action_prefix="catalog.regrade")]
    assert event.policy_version == changed.version
    assert event.detail["changes"][0]["level"] == ["normal", "sensitive"]


def test_override_needs_reason_and_a_known_column(store: Engine, source: str) -> None:
    bundle = load_bundle()
    scan_source(store, source, bundle)
    with pytest.raises(InputError):
        override(store, bundle, "his.db", "patient", "gender", level="public", reason=" ", by="x")
    with pytest.raises(UnknownNameError):
        override(store, bundle, "his.db", "patient", "nope", level="public", reason="r", by="x")
    with pytest.raises(UnknownNameError):
        override(store, bundle, "other.db", "patient", "gender", level="public", reason="r", by="x")


@pytest.mark.postgres
def test_catalogue_in_a_postgres_store(postgres_url: str, source: str) -> None:
    store = open_catalog(postgres_url)
    scan_source(store, source, load_bundle())
    assert _levels(store)["patient.id_no"] == "important"
    store.dispose()


@pytest.mark.mariadb
def test_catalogue_in_a_mariadb_store(mariadb_url: str, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'zh.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE 病人信息 (身份证号 TEXT, 备注 TEXT)"))
    engine.dispose()
    store = open_catalog(mariadb_url)
    scan_source(store, url, load_bundle())
    rows = {r["column"]: r for r in report_rows(store)}
    assert rows["身份证号"]["table"] == "病人信息"
    assert rows["身份证号"]["element"] == "DE02.01.030.00"
    store.dispose()


@pytest.mark.postgres
def test_a_table_that_cannot_be_read_is_graded_from_names(postgres_url: str, store: Engine) -> None:
    role = f"ms_reader_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE TABLE patient (id INTEGER PRIMARY KEY, id_no VARCHAR(18))"))
        conn.execute(text("CREATE TABLE dept (id INTEGER PRIMARY KEY, name VARCHAR(20))"))
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(text(f"GRANT SELECT ON dept TO {role}"))
    reader = postgres_url.replace("postgres@", f"{role}@", 1)
    try:
        summary = scan_source(store, reader, load_bundle())
        assert summary.classified == 2
        assert len(summary.unsampled) == 1 and "permission denied" in summary.unsampled[0]
        assert _levels(store)["patient.id_no"] == "important"
    finally:
        with admin.connect() as conn:
            conn.execute(text("DROP TABLE patient, dept"))
            conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


def test_every_scan_is_in_the_ledger(store: Engine, source: str) -> None:
    bundle = load_bundle()
    scan_source(store, source, bundle)
    scan_source(store, source, bundle)
    url = store.url.render_as_string(hide_password=False)
    with open_ledger(url, bundle=bundle) as ledger:
        scans = [r.event for r in ledger.records(action_prefix="catalog.scan")]
        assert ledger.verify().ok
    assert [(e.detail["classified"], e.detail["skipped"]) for e in scans] == [(2, 0), (0, 2)]
    assert scans[0].object.source is not None and "his.db" in scans[0].object.source
