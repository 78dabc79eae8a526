from __future__ import annotations

import hashlib
import json
from pathlib import Path

from medshield.ledger import open_ledger

from .conftest import Medshield

LOG = [
    "SELECT name FROM patient WHERE patient_id = 1 LIMIT 1",
    "SELECT name FROM patient WHERE patient_id = 2 LIMIT 1",
    "SELECT name FROM patient WHERE patient_id = 3' OR '1'='1",
    "",
    "DELETE FROM visit; DROP TABLE visit",
    "SELEC name FROM patient",
    "SELECT dept_name FROM department WHERE dept_id = 1",
]


def test_one_record_per_line(tmp_path: Path, medshield: Medshield) -> None:
    log = tmp_path / "app.sql"
    log.write_text("\n".join(LOG) + "\n", encoding="utf-8")
    code, out, err = medshield("audit", "sql", str(log), "--role", "doctor", "--scenario",
                               "collaborative_care", "--format", "jsonl")  # fmt: skip
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["line"] for r in records] == list(range(1, len(LOG) + 1))
    assert all(set(r) == {"line", "action", "fingerprint", "tier", "findings"} for r in records)
    assert records[0]["fingerprint"] == records[1]["fingerprint"]
    assert records[0]["action"] == "alert" and records[0]["tier"]["name"] == "long"
    rules = [{f["rule"] for f in r["findings"]} for r in records]
    assert "sql_injection" in rules[2] and records[2]["action"] == "deny"
    assert {"sql_injection", "high_risk", "missing_limits"} <= rules[4]
    assert "parse_error" in rules[5] and records[5]["action"] == "deny"
    assert records[6]["action"] == "allow" and records[6]["findings"] == []
    with open_ledger() as ledger:
        events = [r.event for r in ledger.records(action_prefix="audit.sql")]
    assert events[-1].action == "audit.sql.run" and events[-1].detail["lines"] == len(LOG)
    denied = [e for e in events if e.outcome == "deny"]
    assert denied and all(e.payload_digest and "OR '1'" not in e.model_dump_json() for e in denied)


def test_learned_templates(tmp_path: Path, medshield: Medshield) -> None:
    normal = tmp_path / "normal.sql"
    normal.write_text("SELECT name FROM patient WHERE patient_id = 1 LIMIT 1\n", encoding="utf-8")
    templates = tmp_path / "app.templates"
    code, out, err = medshield("audit", "learn", str(normal), "--out", str(templates),
                               "--format", "json")  # fmt: skip
    assert code == 0, err and json.loads(out)[0]["templates"] == 1
    log = tmp_path / "now.sql"
    log.write_text(
        "SELECT name FROM patient WHERE patient_id = 7 LIMIT 1\n"
        "SELECT name FROM patient WHERE patient_id = 7 OR 2>1 LIMIT 1\n",
        encoding="utf-8",
    )
    code, out, _ = medshield("audit", "sql", str(log), "--templates", str(templates), "--no-ledger")
    first, second = (json.loads(line) for line in out.splitlines())
    assert not any(f["rule"] == "learned_templates" for f in first["findings"])
    evidence = [f["evidence"] for f in second["findings"] if f["rule"] == "learned_templates"]
    assert evidence and "patient_id = ? limit ?" in evidence[0]


def test_learning_from_a_file_with_no_statement_is_refused(
    tmp_path: Path, medshield: Medshield
) -> None:
    """Found by ``make fuzz``: a binary file was "learned" with exit 0 and an empty templates
    file written. Nothing parses, nothing is written, the refusal is coded."""
    templates = tmp_path / "app.templates"
    binary = tmp_path / "dump.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    empty = tmp_path / "empty.sql"
    empty.write_text("\n\n", encoding="utf-8")
    for file, why in ((binary, "none of its"), (empty, "it holds no statement")):
        code, _, err = medshield("audit", "learn", str(file), "--out", str(templates))
        assert code == 1 and err.startswith("error[MS303]: nothing to learn: "), err
        assert why in err and f"({file})" in err
        assert not templates.exists()


def test_dialect_errors(tmp_path: Path, medshield: Medshield) -> None:
    log = tmp_path / "tsql.sql"
    log.write_text("SELECT TOP 5 dept_name FROM department WHERE dept_id = 1\n", encoding="utf-8")
    code, _, err = medshield("audit", "sql", str(log), "--dialect", "cobol")
    assert code == 1 and err.startswith("error[MS903]") and "Traceback" not in err
    code, out, _ = medshield("audit", "sql", str(log), "--dialect", "sqlserver", "--no-ledger")
    assert json.loads(out)["action"] == "allow"
    code, out, _ = medshield("audit", "sql", str(log), "--dialect", "mysql", "--no-ledger")
    record = json.loads(out)
    parse = [f["evidence"] for f in record["findings"] if f["rule"] == "parse_error"]
    assert record["action"] == "deny" and "mismatch: parses as tsql" in parse[0]


def test_catalogue_file_and_bad_input(tmp_path: Path, medshield: Medshield) -> None:
    catalogue = tmp_path / "cat.json"
    catalogue.write_text(json.dumps({"tables": {"t": {"rows": 10, "indexes": [["id"]],
                         "columns": {"id": {"type": "int"}, "v": {}}}}}), encoding="utf-8")  # fmt: skip
    log = tmp_path / "q.sql"
    log.write_text("SELECT v FROM t WHERE id = 1\nSELECT v FROM u\n", encoding="utf-8")
    code, out, err = medshield("audit", "sql", str(log), "--catalogue", str(catalogue),
                               "--no-ledger")  # fmt: skip
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 0 and first["action"] == "allow" and second["action"] == "deny"
    assert second["findings"][0]["rule"] == "unresolved"
    (tmp_path / "bad.json").write_text("[1, 2]", encoding="utf-8")
    code, _, err = medshield("audit", "sql", str(log), "--catalogue", str(tmp_path / "bad.json"))
    assert code == 1 and err.startswith("error[MS900]")
    code, _, err = medshield("audit", "sql", str(tmp_path / "missing.sql"))
    assert code == 1 and err.startswith("error[MS300]")


def test_csv_streams_one_header(tmp_path: Path, medshield: Medshield) -> None:
    log = tmp_path / "many.sql"
    log.write_text("SELECT dept_name FROM department WHERE dept_id = 1\n" * 1200, encoding="utf-8")
    code, out, _ = medshield("audit", "sql", str(log), "--format", "csv", "--no-ledger")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "line,action,fingerprint,tier,findings"
    assert len(lines) == 1201 and lines[-1].startswith("1200,allow,")


def _chain(lines: list[tuple[int, str]]) -> str:
    chain = hashlib.sha256()
    for number, sql in lines:
        chain.update(f"{number}\t{sql}\n".encode())
    return "sha256:" + chain.hexdigest()


def test_every_statement_is_traceable_in_the_ledger(tmp_path: Path, medshield: Medshield) -> None:
    alerting = [f"SELECT name FROM patient WHERE patient_id = {i} LIMIT 1" for i in range(6)]
    denied = ["SELECT name FROM patient WHERE patient_id = 1 OR 1=1", "DROP TABLE visit"]
    log = [alerting[0], alerting[1], denied[0], alerting[2], "SELECT 1", alerting[3], denied[1],
           denied[0], alerting[4], alerting[5]]  # fmt: skip
    path = tmp_path / "trace.sql"
    path.write_text("\n".join(log) + "\n", encoding="utf-8")
    code, _, err = medshield("audit", "sql", str(path), "--role", "doctor", "--scenario",
                             "collaborative_care", "--user", "trace-test")  # fmt: skip
    assert code == 0, err
    with open_ledger() as ledger:
        events = [
            r.event
            for r in ledger.records(action_prefix="audit.sql.statement")
            if r.event.actor == "trace-test"
        ]
    alerts = [e for e in events if e.outcome == "alert"]
    assert len(alerts) == 1  # one template, alerted on six times
    detail = alerts[0].detail
    assert detail["count"] == 6 and detail["lines"] == [[1, 2], [4, 4], [6, 6], [9, 10]]
    numbered = [(n, log[n - 1]) for n in (1, 2, 4, 6, 9, 10)]
    assert detail["statements_digest"] == _chain(numbered)
    assert detail["statements_digest"] != _chain(numbered[:-1] + [(10, alerting[0])])
    denials = sorted(
        (e for e in events if e.outcome == "deny"), key=lambda e: e.detail["first_line"]
    )
    assert [e.detail["lines"] for e in denials] == [[[3, 3]], [[7, 7]], [[8, 8]]]
    for event in denials:  # each denied statement by its own digest, never in clear
        line = event.detail["first_line"]
        sql = log[line - 1]
        assert event.detail["count"] == 1
        assert event.payload_digest == "sha256:" + hashlib.sha256(sql.encode()).hexdigest()
        assert event.detail["statements_digest"] == _chain([(line, sql)])
        assert sql not in event.model_dump_json()


def test_the_submitters_institution(tmp_path: Path, medshield: Medshield) -> None:
    log = tmp_path / "diag.sql"
    log.write_text(
        "SELECT diag_name FROM ms_his_h2.diagnosis WHERE visit_id = 7\n"
        "SELECT diag_name FROM ms_his_h1.diagnosis WHERE visit_id = 7\n",
        encoding="utf-8",
    )
    code, out, err = medshield("audit", "sql", str(log), "--institution", "h1", "--no-ledger")
    assert code == 0, err
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["action"] == "alert"
    assert any("of institution h2" in f["evidence"] for f in first["findings"])
    assert not any("institution" in f["evidence"] for f in second["findings"])
    code, _, err = medshield("audit", "sql", str(log), "--institution", "nowhere", "--no-ledger")
    assert code != 0 and "error[MS301]" in err and "nowhere" in err
