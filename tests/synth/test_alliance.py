from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from medshield.errors import InputError
from medshield.policy import load_bundle
from medshield.synth import AllianceManifest, build_alliance, read_ground_truth

from .conftest import Rows, patient_table, sqlite_path


def _dump(manifest: AllianceManifest) -> dict[str, list[tuple[object, ...]]]:
    out = {}
    for inst, url in manifest.databases.items():
        conn = sqlite3.connect(sqlite_path(url))
        for table in manifest.rows[inst]:
            out[f"{inst}.{table}"] = conn.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608
        conn.close()
    return out


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    bundle = load_bundle()
    a = build_alliance(tmp_path / "a", bundle=bundle, patients=150, seed=5)
    b = build_alliance(tmp_path / "b", bundle=bundle, patients=150, seed=5)
    c = build_alliance(tmp_path / "c", bundle=bundle, patients=150, seed=6)
    assert a.rows == b.rows
    assert _dump(a) == _dump(b)
    for inst in a.databases:
        digest = {
            hashlib.sha256(sqlite_path(m.databases[inst]).read_bytes()).hexdigest() for m in (a, b)
        }
        assert len(digest) == 1, inst
    assert _dump(a) != _dump(c)


def test_every_institution_has_every_table(small_alliance: AllianceManifest) -> None:
    bundle = load_bundle()
    assert set(small_alliance.databases) == {i.id for i in bundle.institutions}
    surgeries = 0
    for inst, tables in small_alliance.rows.items():
        assert len(tables) == 12, inst
        conn = sqlite3.connect(sqlite_path(small_alliance.databases[inst]))
        for table, count in tables.items():
            assert conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == count  # noqa: S608
        conn.close()
        clinic = bundle.institution(inst).tier in ("clinic", "community_clinic")  # type: ignore[union-attr]
        operations = {"operation_record", "ssjl", "OperationRecord"} & set(tables)
        empty = {t for t, n in tables.items() if n == 0}
        assert empty <= operations, inst  # few inpatients in a small alliance: maybe no surgery
        if clinic:
            assert empty == operations, inst  # clinics have no inpatients
        else:
            surgeries += sum(tables[t] for t in operations)
    assert surgeries > 0


def test_ground_truth_covers_every_column(small_alliance: AllianceManifest) -> None:
    truth = read_ground_truth(small_alliance.ground_truth)
    catalogue = load_bundle().catalogue
    seen = {(t.institution, t.table, t.column) for t in truth}
    assert len(seen) == len(truth)  # one row per column
    actual = set()
    for inst, url in small_alliance.databases.items():
        conn = sqlite3.connect(sqlite_path(url))
        for table in small_alliance.rows[inst]:
            for info in conn.execute(f'PRAGMA table_info("{table}")'):
                actual.add((inst, table, info[1]))
        conn.close()
    assert seen == actual
    for t in truth:
        assert t.identifier in ("direct", "quasi", "none")
        assert t.element == "" or t.element in catalogue
        assert t.database == small_alliance.databases[t.institution]
    ids = [t for t in truth if t.element == "DE02.01.030.00"]
    assert {t.identifier for t in ids} == {"direct"} and len(ids) == 2 * 12  # patients, staff


def test_every_naming_style_is_present(small_alliance: AllianceManifest) -> None:
    styles = set(small_alliance.styles.values())
    assert {s.split("_")[0] for s in styles} == {"english", "pinyin", "camel"}
    assert {s.split("_")[1] for s in styles} == {"commented", "bare"}
    truth = read_ground_truth(small_alliance.ground_truth)
    id_columns = {t.column for t in truth if t.element == "DE02.01.030.00"}
    assert {"id_no", "sfzh", "IdNo"} <= id_columns
    names = {t.column for t in truth if t.element == "DE02.01.039.00"}
    assert names == {"name", "brxm", "Name"}


def test_comments_follow_the_style(small_alliance: AllianceManifest) -> None:
    for inst, style in small_alliance.styles.items():
        conn = sqlite3.connect(sqlite_path(small_alliance.databases[inst]))
        ddl = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = ?", (patient_table(small_alliance, inst),)
        ).fetchone()[0]
        conn.close()
        assert ("-- 身份证号" in ddl) == style.endswith("commented"), inst


def test_people_visit_several_institutions(
    small_alliance: AllianceManifest, read_rows: Rows
) -> None:
    where: Counter[str] = Counter()
    for inst, url in small_alliance.databases.items():
        rows = read_rows(url, patient_table(small_alliance, inst))
        id_key = next(k for k in rows[0] if k in ("id_no", "sfzh", "IdNo"))
        where.update({str(r[id_key]) for r in rows})
    assert len(where) == small_alliance.patients
    shared = sum(1 for n in where.values() if n >= 2)
    assert 0.25 < shared / len(where) < 0.6
    assert max(where.values()) <= 3


def test_free_text_sometimes_carries_identifiers(
    small_alliance: AllianceManifest, read_rows: Rows
) -> None:
    truth = read_ground_truth(small_alliance.ground_truth)
    notes = [t for t in truth if t.element == "DE04.01.200.00"]
    assert notes and all(t.identifier == "direct" for t in notes)
    texts = [
        str(r[t.column])
        for t in notes
        for r in read_rows(small_alliance.databases[t.institution], t.table)
    ]
    assert all("患者" in text for text in texts)
    assert any(any(ch.isdigit() for ch in text[10:]) for text in texts)  # a phone or ID


def test_children_hospital_sees_children(small_alliance: AllianceManifest, read_rows: Rows) -> None:
    rows = read_rows(small_alliance.databases["h4"], patient_table(small_alliance, "h4"))
    ages = [int(str(r.get("nl", r.get("age", r.get("Age"))))) for r in rows]
    assert ages and max(ages) < 18


def test_progress_is_reported(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    build_alliance(
        tmp_path,
        bundle=load_bundle(),
        patients=20,
        seed=1,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[-1][0] == seen[-1][1] == 12 * 12
    assert [d for d, _ in seen] == list(range(1, 145))


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="at least 1"):
        build_alliance(tmp_path, bundle=load_bundle(), patients=0, seed=1)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write") as err:
        build_alliance(blocker / "out", bundle=load_bundle(), patients=5, seed=1)
    assert err.value.where == str(blocker / "out")


def test_history_tables_add_monthly_archives(tmp_path: Path, read_rows: Rows) -> None:
    manifest = build_alliance(tmp_path, bundle=load_bundle(), patients=40, seed=3, history_tables=7)
    tables = manifest.rows["h1"]
    assert len(tables) == 12 + 7
    archives = [t for t in tables if t[-7:-6] == "_" and t[-6:].isdigit()]
    assert archives[:6] == [
        "visit_202212", "prescription_202212", "lab_result_202212", "diagnosis_202212",
        "medical_order_202212", "visit_202211",
    ]  # fmt: skip
    live = read_rows(manifest.databases["h1"], "visit")
    archived = read_rows(manifest.databases["h1"], "visit_202212")
    assert 0 < len(archived) <= 40 and all(r in live for r in archived)
    truth = {
        (t.table, t.column)
        for t in read_ground_truth(manifest.ground_truth)
        if t.institution == "h2"
    }
    assert ("jzjl_202212", "sfzh") not in truth and ("jzjl_202212", "zs") in truth
    with pytest.raises(InputError, match="negative"):
        build_alliance(tmp_path, bundle=load_bundle(), patients=5, seed=3, history_tables=-1)


def test_some_vendors_index_their_tables(small_alliance: AllianceManifest) -> None:
    indexed = {}
    for inst, url in small_alliance.databases.items():
        conn = sqlite3.connect(sqlite_path(url))
        indexed[inst] = {
            table
            for (table,) in conn.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            )
        }
        conn.close()
    styles = small_alliance.styles
    with_indexes = {i for i, s in styles.items() if s not in ("english_bare", "camel_bare")}
    assert {i for i, tables in indexed.items() if tables} == with_indexes
    assert indexed["h1"] == {
        "patient", "visit", "diagnosis", "prescription", "medical_order", "lab_result",
        "operation_record",
    }  # fmt: skip
