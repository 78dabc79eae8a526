"""The ad-hoc query service on the real PostgreSQL and MariaDB servers."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from medshield.audit.query import QueryService, run_query, traffic, verify_checksum
from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.classify.scan import safe_url
from medshield.errors import QueryDeniedError, QueryKilledError, QueryTimeoutError
from medshield.ledger import open_ledger
from medshield.policy import default_bundle_path, load_bundle

DOCTOR = {"user": "u1", "role": "doctor", "scenario": "collaborative_care"}
OPS = {"user": "ops1", "role": "security_admin", "scenario": "security_operations"}
CATALOGUE = SqlCatalogue.from_mapping(
    {
        "tables": {
            "patient": {
                "rows": 3,
                "indexes": [["patient_id"]],
                "columns": {
                    "patient_id": {"type": "int", "element": "DE01.00.001.00"},
                    "name": {"type": "varchar", "element": "DE02.01.039.00"},
                    "id_no": {"type": "varchar", "element": "DE02.01.030.00"},
                    "gender": {"type": "varchar", "element": "DE02.01.040.00"},
                },
            }
        }
    }
)


def _seed(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE patient (patient_id INT PRIMARY KEY, name VARCHAR(40), "
                "id_no VARCHAR(18), gender VARCHAR(4))"
            )
        )
        conn.execute(
            text(
                "INSERT INTO patient VALUES (1, '张三', '110101199003077777', '1'), "
                "(2, '李四', '110101198511112222', '2'), (3, '王五', '11010119700101333X', '1')"
            )
        )
    engine.dispose()


def _ops_bundle(tmp_path: Path, *, server_limits: bool = True) -> object:
    """The default policy, where security operations may probe with sleep functions, and every
    tier is one second long; ``server_limits=False`` as for a server that ignores the session's
    time limit."""
    folder = tmp_path / "policy"
    shutil.copytree(default_bundle_path(), folder)
    audit = folder / "audit.yaml"
    body = audit.read_text(encoding="utf-8").replace(
        "rules:\n",
        "rules:\n  - {rule: sql_injection, action: alert, roles: [security_admin], "
        "scenarios: [security_operations]}\n",
        1,
    )
    body = body.replace(
        "tiers: {long: 60, medium: 15, short: 3}", "tiers: {long: 1, medium: 1, short: 1}"
    )
    if not server_limits:
        body = body.replace("  row_cap:", "  server_limits: false\n  row_cap:", 1)
    audit.write_text(body, encoding="utf-8")
    return load_bundle(folder)


@pytest.mark.parametrize("server", ["postgres", "mariadb"])
def test_released_rows_are_masked_checksummed_and_recorded(
    server: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue(f"{server}_url")
    _seed(url)
    sql = "SELECT patient_id, name, id_no FROM patient WHERE patient_id = 1"
    result = run_query(url, sql, catalogue=CATALOGUE, **DOCTOR)
    assert result.columns == ("patient_id", "name", "id_no")
    row = result.rows[0]
    assert row["id_no"] != "110101199003077777" and row["name"] != "张三"
    assert result.checksum.startswith("sm3:")
    assert verify_checksum(result.columns, result.rows, result.checksum)
    assert not verify_checksum(result.columns, [{**row, "name": "x"}], result.checksum)
    assert result.verdict.tier.name == "long"
    with open_ledger() as ledger:
        records = list(ledger.records())
    actions = [r.event.action for r in records]
    assert actions.count("audit.query.statement") == 1
    release = next(r.event for r in records if r.event.action == "audit.query.release")
    assert release.payload_digest == result.checksum
    assert "lineage.process" in actions
    assert traffic(records) == [{"user": "u1", "table": "patient", "statements": 1, "rows": 1}]
    statement = next(r.event for r in records if r.event.action == "audit.query.statement")
    assert "张三" not in statement.model_dump_json() and statement.payload_digest


@pytest.mark.parametrize("server", ["postgres", "mariadb"])
def test_the_row_cap_applies(server: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(f"{server}_url")
    _seed(url)
    sql = "SELECT patient_id, gender FROM patient WHERE patient_id > 0 LIMIT 10"
    result = run_query(url, sql, catalogue=CATALOGUE, row_cap=2, **DOCTOR)
    assert len(result.rows) == 2 and result.truncated


@pytest.mark.parametrize(
    ("server", "sleep"),
    [("postgres", "pg_sleep(5)"), ("mariadb", "SLEEP(5)")],
)
def test_the_tier_limit_stops_a_slow_query(
    server: str, sleep: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = request.getfixturevalue(f"{server}_url")
    _seed(url)
    bundle = _ops_bundle(tmp_path)
    service = QueryService(bundle, catalogues={safe_url(url): CATALOGUE})  # type: ignore[arg-type]
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError) as caught:
        service.run(url, f"SELECT patient_id, {sleep} FROM patient WHERE patient_id = 1", **OPS)
    assert time.monotonic() - started < 4
    assert caught.value.code == "MS902"
    # the service is still usable afterwards: the limit did not stick to the pooled connection
    fine = service.run(url, "SELECT gender FROM patient WHERE patient_id = 2", **OPS)
    assert fine.rows
    service.close()
    with open_ledger() as ledger:
        stopped = [r.event for r in ledger.records(action_prefix="audit.query.stopped")]
    assert stopped[-1].detail["stopped_by"] == "server" and stopped[-1].outcome == "deny"


@pytest.mark.parametrize(
    ("server", "sleep", "running"),
    [
        ("postgres", "pg_sleep(6)", "SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
         "'%pg_sleep(6)%' AND state = 'active' AND pid <> pg_backend_pid()"),
        ("mariadb", "SLEEP(6)", "SELECT count(*) FROM information_schema.processlist WHERE "
         "info LIKE '%SLEEP(6)%' AND id <> CONNECTION_ID()"),
    ],
)  # fmt: skip
def test_the_watchdog_stops_a_query_the_server_does_not(
    server: str, sleep: str, running: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """A server that ignores the session's limit (here: none set, ``server_limits: false``):
    the watchdog cancels the statement from a second connection at the tier's limit."""
    url = request.getfixturevalue(f"{server}_url")
    _seed(url)
    bundle = _ops_bundle(tmp_path, server_limits=False)
    service = QueryService(bundle, catalogues={safe_url(url): CATALOGUE})  # type: ignore[arg-type]
    started = time.monotonic()
    with pytest.raises(QueryKilledError) as caught:
        service.run(url, f"SELECT patient_id, {sleep} FROM patient WHERE patient_id = 1", **OPS)
    assert 0.9 < time.monotonic() - started < 4
    assert caught.value.code == "MS905" and isinstance(caught.value, QueryTimeoutError)
    engine = create_engine(url)
    with engine.connect() as conn:  # stopped on the server, not merely abandoned by the client
        assert conn.execute(text(running)).scalar() == 0
    engine.dispose()
    # a quick statement disarms its watchdog: nothing is cancelled after it has ended
    quick = service.run(url, "SELECT gender FROM patient WHERE patient_id = 2", **OPS)
    time.sleep(1.3)
    again = service.run(url, "SELECT gender FROM patient WHERE patient_id = 3", **OPS)
    assert quick.rows and again.rows
    service.close()
    with open_ledger() as ledger:
        stopped = [r.event for r in ledger.records(action_prefix="audit.query.stopped")]
    assert stopped[-1].detail["stopped_by"] == "watchdog"
    assert "MS905" in stopped[-1].reasons[0]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT name FROM patient WHERE patient_id = 1 OR 1=1",
        "DELETE FROM patient WHERE patient_id = 1",
        "SELEC name FROM patient",
        "SELECT name FROM nosuch WHERE id = 1",
        "SELECT name FROM patient WHERE patient_id = 1; DROP TABLE patient",
    ],
)
def test_denied_statements_are_never_executed(postgres_url: str, sql: str) -> None:
    _seed(postgres_url)
    with pytest.raises(QueryDeniedError) as caught:
        run_query(postgres_url, sql, catalogue=CATALOGUE, **DOCTOR)
    assert caught.value.code == "MS901"
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM patient")).scalar() == 3
    engine.dispose()


def test_an_unknown_role_is_refused(postgres_url: str) -> None:
    _seed(postgres_url)
    with pytest.raises(QueryDeniedError, match="unknown role"):
        run_query(
            postgres_url, "SELECT gender FROM patient WHERE patient_id = 1",
            catalogue=CATALOGUE, user="x", role="nobody", scenario="collaborative_care",
        )  # fmt: skip


def test_the_catalogue_is_read_from_the_source(postgres_url: str) -> None:
    _seed(postgres_url)
    service = QueryService(load_bundle())
    catalogue = service.auditor(postgres_url).analyser.catalogue
    assert catalogue.table("patient") is not None
    assert "patient_id" in catalogue.table("patient").indexed  # type: ignore[union-attr]
    # no element is known for these columns: masking fails closed on them
    result = service.run(postgres_url, "SELECT name FROM patient WHERE patient_id = 3", **DOCTOR)
    assert result.rows[0]["name"] != "王五"
    service.close()
