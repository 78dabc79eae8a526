"""Demo step: a burst of ordinary and malicious SQL through the ad-hoc query service (R11, R13),
on a small SQLite HIS of the synthetic schema: verdicts, tiers, masked rows, checksums."""

from __future__ import annotations

import sqlite3
from typing import Any, ClassVar

from medshield.audit.query import QueryService
from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.demo.runner import DemoContext
from medshield.errors import MedshieldError
from medshield.synth.schema import TABLES

BURST = (
    ("SELECT patient_id, name, mobile FROM patient WHERE patient_id = 3", "doctor"),
    ("SELECT v.visit_id, d.dept_name FROM visit v JOIN department d ON d.dept_id = v.dept_id "
     "WHERE v.patient_id = 3 LIMIT 10", "doctor"),
    ("SELECT name FROM patient WHERE patient_id = 3 OR 1=1", "doctor"),
    ("SELECT name FROM patient WHERE patient_id = 3 UNION SELECT sql FROM sqlite_master", "doctor"),
    ("SELECT name FROM patient WHERE patient_id = 3; DROP TABLE patient", "doctor"),
    ("SELECT name, id_no FROM patient", "doctor"),
    ("DELETE FROM visit WHERE 1=1", "doctor"),
    ("SELECT name FROM patient WHERE patient_id = 3 AND SLEEP(5)", "doctor"),
)  # fmt: skip
USED = ("patient", "visit", "department")


class AuditSqlStep:
    name: ClassVar[str] = "audit_sql"
    title_zh: ClassVar[str] = "数据库审计与即席查询：正常与恶意 SQL"
    title_en: ClassVar[str] = "SQL audit and ad-hoc queries: ordinary and malicious SQL"

    def run(self, ctx: DemoContext) -> None:
        path = ctx.workdir / "his_demo.sqlite"
        _build(path)
        url = f"sqlite:///{path}"
        catalogue = SqlCatalogue.from_synth()
        counts = {"allow": 0, "alert": 0, "deny": 0}
        with ctx.ledger_in_use() as ledger:
            service = QueryService(ctx.bundle, ledger=ledger, catalogues={url: catalogue})
            try:
                for sql, role in BURST:
                    counts[self._one(ctx, service, url, sql, role)] += 1
            finally:
                service.close()
        summary = " / ".join(f"{k} {v}" for k, v in counts.items())
        ctx.report("即席查询审计", "ad-hoc query audit", summary)
        ctx.artifacts["audit_sql_counts"] = counts

    def _one(self, ctx: DemoContext, service: QueryService, url: str, sql: str, role: str) -> str:
        try:
            result = service.run(url, sql, user="u_demo", role=role, scenario="collaborative_care")
        except MedshieldError as exc:
            ctx.say(f"   ✗ {sql[:70]}\n     {exc.render()[:150]}")
            return "deny"
        v = result.verdict
        sample = " | ".join(str(x) for x in result.rows[0].values()) if result.rows else "-"
        ctx.say(
            f"   ✓ {sql[:70]}\n     {v.action}, tier {v.tier.name} ({v.tier.seconds:g}s), "
            + ctx.t(f"{len(result.rows)} 行，", f"{len(result.rows)} rows, ")
            + f"{sample[:60]}, {result.checksum[:20]}…"
        )
        return v.action


def _build(path: Any) -> None:
    if path.exists():
        path.unlink()
    with sqlite3.connect(path) as db:
        for spec in TABLES:
            if spec.key in USED:
                cols = ", ".join(f"{c.key} TEXT" for c in spec.columns)
                db.execute(f"CREATE TABLE {spec.key} ({cols})")
        for i in range(1, 21):
            db.execute(
                "INSERT INTO patient (patient_id, name, mobile, id_no) VALUES (?, ?, ?, ?)",
                (i, f"患者{i:02d}", f"1380013{i:04d}", f"1101011990010{i:04d}"[:18]),
            )
            db.execute(
                "INSERT INTO visit (visit_id, patient_id, dept_id) VALUES (?, ?, ?)",
                (100 + i, i, i % 3 + 1),
            )
        db.executemany(
            "INSERT INTO department (dept_id, dept_name) VALUES (?, ?)",
            [(1, "内科"), (2, "外科"), (3, "儿科")],
        )
    db.close()
