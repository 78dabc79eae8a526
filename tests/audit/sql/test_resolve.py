"""Resolution through CTEs, subqueries, UNION, aliases, views and stars; the simple path agrees
with ``qualify`` wherever it applies."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import sqlglot

from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.audit.sql.resolve import Resolution, qualified_query, resolve
from medshield.audit.sql.resolve_simple import resolve_simple

CATALOGUE = SqlCatalogue.from_synth()
VIEWS = SqlCatalogue(
    CATALOGUE.tables, {"v_contact": "SELECT patient_id, name, mobile AS phone FROM patient"}
)


def _resolve(sql: str, catalogue: SqlCatalogue = CATALOGUE) -> Resolution:
    return resolve(sqlglot.parse_one(sql, read="mysql"), catalogue, "mysql")


@pytest.mark.parametrize(
    ("sql", "reads"),
    [
        ("WITH p AS (SELECT patient_id AS pid, mobile FROM patient) SELECT mobile FROM p",
         {("patient", "mobile"), ("patient", "patient_id")}),
        ("SELECT x.m FROM (SELECT mobile AS m FROM patient) AS x", {("patient", "mobile")}),
        ("SELECT name FROM patient UNION SELECT dept_name FROM department",
         {("patient", "name"), ("department", "dept_name")}),
        ("SELECT p.name FROM patient AS p JOIN visit AS v ON v.patient_id = p.patient_id",
         {("patient", "name"), ("visit", "patient_id"), ("patient", "patient_id")}),
        ("SELECT * FROM department", {("department", c) for c in ("dept_id", "dept_name", "beds", "location")}),
        ("SELECT UPPER(name) FROM staff WHERE staff_no IN (SELECT doctor_no FROM visit)",
         {("staff", "name"), ("staff", "staff_no"), ("visit", "doctor_no")}),
    ],
)  # fmt: skip
def test_reads(sql: str, reads: set[tuple[str, str]]) -> None:
    resolution = _resolve(sql)
    assert resolution.reads == reads and not resolution.problems


def test_views_are_expanded() -> None:
    resolution = _resolve("SELECT phone FROM v_contact WHERE patient_id = 1", VIEWS)
    assert resolution.reads == {("patient", c) for c in ("mobile", "patient_id", "name")}
    assert resolution.predicates == {("patient", "patient_id")}


def test_writes_and_predicates() -> None:
    update = _resolve("UPDATE visit SET dept_id = 2 WHERE visit_id = 9")
    assert update.writes == {("visit", "dept_id")} and update.predicates == {("visit", "visit_id")}
    insert = _resolve("INSERT INTO diagnosis (visit_id) SELECT visit_id FROM visit")
    assert insert.writes == {("diagnosis", "visit_id")} and insert.reads == {("visit", "visit_id")}


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT name FROM nowhere",
        "SELECT nothing FROM patient",
        "UPDATE patient SET a = 1 WHERE b = 2",
    ],
)
def test_what_does_not_resolve_is_a_problem(sql: str) -> None:
    assert _resolve(sql).problems


def test_the_simple_path_agrees_with_qualify() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from bench.audit_sql_corpus import his_workload

    checked = 0
    for sql in his_workload(600):
        tree = sqlglot.parse_one(sql, read="mysql")
        simple = resolve_simple(tree, CATALOGUE)
        if simple is None:
            continue
        full = Resolution()
        qualified_query(tree, CATALOGUE, "mysql", full)
        assert simple == (full.reads, full.predicates), sql
        checked += 1
    assert checked > 300
