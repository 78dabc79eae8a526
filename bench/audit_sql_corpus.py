"""Statements for the SQL-audit benchmark.

Injected: every payload of the shared corpora (libinjection, payloadbox, PayloadsAllTheThings,
SecLists), URL-decoded, concatenated into realistic HIS statements where applications concatenate
input: a numeric slot and a quoted slot. A payload counts as an injection only where it changes
the statement's structure (its fingerprint differs from the same statement with a plain value);
one that stays inside a quoted value is harmless and counted with the benign statements.
Benign: Spider's gold queries and a HIS workload generated from the synthetic alliance's tables.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote_plus

from medshield.audit.sql.fingerprint import normalise

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"  # beside the checkout

# Where applications concatenate input: {n} a numeric slot, {s} inside quotes.
INJECTABLE = (
    "SELECT patient_id, name, gender, birth_date FROM patient WHERE patient_id = {n} LIMIT 1",
    "SELECT v.visit_id, v.visit_time, d.dept_name FROM visit v JOIN department d ON d.dept_id = v.dept_id WHERE v.patient_id = {n} ORDER BY v.visit_time DESC LIMIT 20",
    "SELECT rx_no, drug_name, dose, frequency FROM prescription WHERE visit_id = {n} AND item_no > 0",
    "UPDATE medical_order SET status = '2' WHERE order_no = {n}",
    "SELECT name, mobile FROM patient WHERE name = '{s}' LIMIT 10",
    "SELECT report_no, item_name, result FROM lab_result WHERE visit_id = 1024 AND item_name LIKE '%{s}%'",
    "SELECT staff_no, name, title FROM staff WHERE staff_no = '{s}' AND dept_id = 3",
    "SELECT drug_code, generic_name, price FROM drug_catalog WHERE generic_name LIKE '{s}%' ORDER BY price LIMIT 50",
)  # fmt: skip


def payloads() -> list[str]:
    """Every payload line of the injection corpora, decoded, without duplicates."""
    seen: dict[str, None] = {}
    for path in sorted((CORPORA / "sqli").iterdir()):
        if path.suffix == ".md":
            continue
        comment = path.name.startswith("libinjection")
        for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if not raw.strip() or (comment and raw.startswith("#")):
                continue
            text = unquote_plus(raw) if "%" in raw or "+" in raw else raw
            text = text.replace("\r", " ").replace("\n", " ").strip()
            if text:
                seen[text] = None
    return list(seen)


def embedded(limit: int | None = None) -> tuple[list[str], list[str]]:
    """``(injected, harmless)``: payloads in statements, split by whether they change structure."""
    injected: list[str] = []
    harmless: list[str] = []
    items = payloads()
    if limit is not None:
        items = random.Random(7).sample(items, min(limit, len(items)))
    for i, payload in enumerate(items):
        for template in (INJECTABLE[i % 4], INJECTABLE[4 + i % 4]):
            slot = "{n}" if "{n}" in template else "{s}"
            plain = normalise(template.replace(slot, "1"))
            sql = template.replace(slot, payload)
            (injected if normalise(sql) != plain else harmless).append(sql)
    return injected, harmless


def spider() -> list[str]:
    lines = (CORPORA / "benign_sql" / "spider_dev_gold_sql_dbid.tsv").read_text(encoding="utf-8")
    return [line.split("\t")[0].strip() for line in lines.splitlines() if line.strip()]


_NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "O'Brien", "欧阳娜娜", "杨-帆")
_WORDS = (
    "头痛",
    "发热 3 天",
    "咳嗽、咳痰",
    "高血压病",
    "2型糖尿病",
    "术后复查",
    "胸闷 -- 气短",
    "select 检查",
)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def his_workload(n: int, *, seed: int = 11) -> list[str]:
    """``n`` benign statements of a HIS, from ~40 templates with random values."""
    rng = random.Random(seed)

    def ids(k: int) -> str:
        return ", ".join(str(rng.randint(1, 10**6)) for _ in range(k))

    makers = [
        lambda: f"SELECT patient_id, name, gender, birth_date FROM patient WHERE patient_id = {rng.randint(1, 10**6)} LIMIT 1",
        lambda: f"SELECT * FROM patient WHERE id_no = '{rng.randint(10**17, 10**18 - 1)}' LIMIT 1",
        lambda: f"SELECT name, mobile FROM patient WHERE name = {_quote(rng.choice(_NAMES))} LIMIT 10",
        lambda: f"SELECT patient_id, name FROM patient WHERE 1=1 AND name LIKE {_quote(rng.choice(_NAMES)[:1] + '%')} AND gender = '{rng.choice('12')}' LIMIT 20",
        lambda: f"SELECT v.visit_id, v.visit_time, d.dept_name FROM visit v JOIN department d ON d.dept_id = v.dept_id WHERE v.patient_id = {rng.randint(1, 10**6)} ORDER BY v.visit_time DESC LIMIT 20",
        lambda: f"SELECT COUNT(*) FROM visit WHERE dept_id = {rng.randint(1, 40)} AND visit_time >= '2026-0{rng.randint(1, 9)}-01'",
        lambda: f"SELECT dept_id, COUNT(*) AS n, SUM(total_cost) FROM visit WHERE visit_time BETWEEN '2026-01-01' AND '2026-0{rng.randint(2, 9)}-28' GROUP BY dept_id ORDER BY n DESC",
        lambda: f"SELECT rx_no, drug_name, dose, frequency, quantity FROM prescription WHERE visit_id IN ({ids(rng.randint(1, 6))})",
        lambda: f"SELECT d.icd_code, d.diag_name FROM diagnosis d WHERE d.visit_id = {rng.randint(1, 10**6)} AND d.diag_type = '{rng.choice('123')}'",
        lambda: f"SELECT report_no, item_name, result, unit, abnormal_flag FROM lab_result WHERE visit_id = {rng.randint(1, 10**6)} ORDER BY report_time",
        lambda: f"SELECT op_id, op_name, op_date FROM operation_record WHERE visit_id = {rng.randint(1, 10**6)} AND op_date > '2025-12-31'",
        lambda: f"SELECT order_no, content, status FROM medical_order WHERE visit_id = {rng.randint(1, 10**6)} AND status <> '9' ORDER BY start_time DESC LIMIT 100",
        lambda: f"UPDATE medical_order SET status = '{rng.choice('123')}' WHERE order_no = {rng.randint(1, 10**7)}",
        lambda: f"UPDATE visit SET chief_complaint = {_quote(rng.choice(_WORDS))} WHERE visit_id = {rng.randint(1, 10**6)}",
        lambda: f"INSERT INTO diagnosis (visit_id, icd_code, diag_name, diag_type, diag_date) VALUES ({rng.randint(1, 10**6)}, 'I10.x00', {_quote(rng.choice(_WORDS))}, '1', '2026-03-0{rng.randint(1, 9)}')",
        lambda: f"INSERT INTO lab_result (report_no, visit_id, item_name, result, unit) VALUES ('R{rng.randint(1, 10**8)}', {rng.randint(1, 10**6)}, '血红蛋白', '{rng.randint(90, 160)}', 'g/L')",
        lambda: f"DELETE FROM medical_order WHERE order_no = {rng.randint(1, 10**7)} AND status = '0'",
        lambda: f"SELECT p.name, v.visit_time, x.drug_name FROM patient p JOIN visit v ON v.patient_id = p.patient_id JOIN prescription x ON x.visit_id = v.visit_id WHERE p.patient_id = {rng.randint(1, 10**6)} LIMIT 200",
        lambda: f"SELECT drug_code, generic_name, spec, price FROM drug_catalog WHERE generic_name LIKE {_quote(rng.choice(['阿莫西林', '二甲双胍', '头孢']) + '%')} ORDER BY price LIMIT 50",
        lambda: f"SELECT staff_no, name, title FROM staff WHERE dept_id = {rng.randint(1, 40)} ORDER BY staff_no",
        lambda: "SELECT dept_id, dept_name, beds FROM department ORDER BY dept_id",
        lambda: f"SELECT param_value FROM sys_param WHERE param_key = 'his.{rng.choice(['timeout', 'version', 'theme'])}'",
        lambda: f"SELECT patient_id FROM visit WHERE visit_id IN (SELECT visit_id FROM diagnosis WHERE icd_code LIKE 'E11%') AND visit_time > '2026-0{rng.randint(1, 9)}-01' LIMIT 500",
        lambda: f"WITH recent AS (SELECT visit_id, patient_id FROM visit WHERE patient_id = {rng.randint(1, 10**6)} ORDER BY visit_time DESC LIMIT 5) SELECT r.visit_id, d.diag_name FROM recent r JOIN diagnosis d ON d.visit_id = r.visit_id",
        lambda: f"SELECT name FROM patient WHERE patient_id = {rng.randint(1, 10**6)} UNION SELECT name FROM staff WHERE staff_no = '{rng.randint(1000, 9999)}'",
        lambda: f"SELECT CASE WHEN age >= 65 THEN '老年' ELSE '非老年' END AS band, COUNT(*) FROM patient WHERE created_at >= '2026-0{rng.randint(1, 9)}-01' GROUP BY band",
        lambda: f"SELECT visit_id, ROUND(total_cost - insurance_paid, 2) AS due FROM visit WHERE patient_id = {rng.randint(1, 10**6)} AND self_pay > 0",
        lambda: f"SELECT MAX(report_time) FROM lab_result WHERE visit_id = {rng.randint(1, 10**6)} AND item_name IN ('血糖', '糖化血红蛋白')",
        lambda: f"/* his-outpatient */ SELECT visit_id, outpatient_no FROM visit WHERE outpatient_no = 'MZ{rng.randint(10**7, 10**8)}'",
        lambda: f"SELECT name, mobile FROM patient WHERE mobile LIKE '138%' AND patient_id > {rng.randint(1, 10**6)} ORDER BY patient_id LIMIT 100",
        lambda: f"SELECT COALESCE(brand_name, generic_name) AS shown FROM drug_catalog WHERE drug_code = 'Y{rng.randint(10**5, 10**6)}'",
        lambda: f"SELECT SUBSTRING(id_no, 7, 8) AS birth FROM patient WHERE patient_id = {rng.randint(1, 10**6)}",
        lambda: f"SELECT LENGTH(remark) FROM patient WHERE patient_id = {rng.randint(1, 10**6)}",
    ]  # fmt: skip
    return [rng.choice(makers)() for _ in range(n)]


def repeated_log(n: int) -> Iterator[str]:
    yield from his_workload(n, seed=23)


def distinct_templates(n: int, *, seed: int = 5) -> list[str]:
    """``n`` benign HIS statements, nearly every one a template of its own (a cold cache)."""
    from medshield.synth.schema import TABLES

    rng = random.Random(seed)
    joinable = [
        t for t in TABLES if any(c.key == "visit_id" for c in t.columns) and t.key != "visit"
    ]
    out: list[str] = []
    for _ in range(n):
        table = rng.choice(TABLES)
        cols = [c.key for c in table.columns]
        shown = rng.sample(cols, rng.randint(1, min(6, len(cols))))
        alias = "t"
        parts = [f"SELECT {', '.join(f'{alias}.{c}' for c in shown)} FROM {table.key} {alias}"]
        if table in joinable and rng.random() < 0.3:
            parts.append(f"JOIN visit v ON v.visit_id = {alias}.visit_id")
        preds = []
        for col in rng.sample(cols, rng.randint(0, min(3, len(cols)))):
            op = rng.choice(["= {v}", "> {v}", "IN ({v}, {v})", "LIKE '{s}%'", "<> '{s}'"])
            preds.append(f"{alias}.{col} " + op.format(v=rng.randint(1, 999), s=rng.choice(_WORDS)))
        if preds:
            parts.append("WHERE " + " AND ".join(preds))
        if rng.random() < 0.4:
            parts.append(f"ORDER BY {alias}.{rng.choice(cols)}")
        if rng.random() < 0.6:
            parts.append(f"LIMIT {rng.randint(1, 500)}")
        out.append(" ".join(parts))
    return out
