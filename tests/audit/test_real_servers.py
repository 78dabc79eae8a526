"""The scripted scenario on real servers: each detector raised once, and nothing else.

PostgreSQL (a throwaway cluster with pgaudit): 30 failed logins then a success, a pg_dump, a
DELETE of 10,000 rows, a query burst after a steady baseline. MariaDB (server_audit on in the
local server): a connection from an address outside the networks, off hours.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pymysql
import pytest

from medshield.audit.detectors import DETECTORS, DetectorContext, Finding, LogAudit
from medshield.audit.sources import SOURCES, BadLine, read_file
from medshield.policy import load_bundle
from medshield.policy.audit_logs import LogAuditPolicy

from .servers import PG_BIN, pgaudit_cluster, server_audit

pytestmark = [pytest.mark.postgres, pytest.mark.mariadb, pytest.mark.slow]


def _policy() -> DetectorContext:
    bundle = load_bundle()
    hour = datetime.now(ZoneInfo("Asia/Shanghai")).hour
    logs = LogAuditPolicy.model_validate(
        {
            # now is off hours; only remote logins are judged, and 127.0.0.1 is the server itself
            "remote_access": {
                "working_hours": [(hour + 1) % 24, (hour + 1) % 24 + 1] if hour < 22 else [0, 1],
                "local_cidrs": ["127.0.0.1/32", "::1/128"],
            },
            "query_baseline": {"bucket_seconds": 1, "min_history": 8, "min_queries": 30},
        }
    )
    return DetectorContext.from_bundle(bundle, logs)


def _audit(ctx: DetectorContext, source: str, path: Path) -> tuple[list[Finding], list[BadLine]]:
    audit = LogAudit(SOURCES.get(source)(), ctx, DETECTORS)
    items = list(audit.run(read_file(path)))
    found = [i for i in items if isinstance(i, Finding)] + audit.flush()
    return found, [i for i in items if isinstance(i, BadLine)]


def _postgres_scenario(tmp: Path) -> Path:
    with pgaudit_cluster() as pg:
        with psycopg.connect(pg.url(), autocommit=True) as admin:
            admin.execute("CREATE ROLE his LOGIN PASSWORD 'his-secret'")
            admin.execute("CREATE TABLE visit (id int PRIMARY KEY, dept text)")
            admin.execute(
                "INSERT INTO visit SELECT g, 'd' || g % 7 FROM generate_series(1, 20000) g"
            )
            admin.execute("GRANT SELECT, DELETE ON visit TO his")
        for _ in range(30):
            with pytest.raises(psycopg.OperationalError):
                psycopg.connect(pg.url("his", "wrong")).close()
        with psycopg.connect(pg.url("his", "his-secret"), autocommit=True) as his:
            for _second in range(10):  # a steady baseline: three queries a second
                for _ in range(3):
                    his.execute("SELECT count(*) FROM visit WHERE dept = 'd1'")
                time.sleep(max(0.0, 1.0 - (time.time() % 1.0)))
            for _ in range(300):  # the burst
                his.execute("SELECT count(*) FROM visit WHERE dept = 'd1'")
            time.sleep(1.1)
            his.execute("DELETE FROM visit WHERE id <= 10000")
        dump = subprocess.run(
            [
                str(PG_BIN / "pg_dump"),
                "-h",
                "127.0.0.1",
                "-p",
                str(pg.port),
                "-U",
                "postgres",
                "-t",
                "visit",
                "postgres",
            ],
            env={"PGPASSWORD": pg.password},
            capture_output=True,
            check=True,
        )
        assert b"COPY public.visit" in dump.stdout
        time.sleep(0.5)
        kept = tmp / "postgres.log"
        kept.write_bytes(pg.log.read_bytes())
        return kept


def _mariadb_scenario(tmp: Path) -> Path:
    user = f"ms_remote_{uuid.uuid4().hex[:8]}"
    root = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
    with root.cursor() as cur:
        cur.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY 'pw-remote'")
    try:
        with server_audit([user]) as log:
            conn = pymysql.connect(
                host="127.0.0.1", user=user, password="pw-remote", bind_address="127.0.0.2"
            )
            with conn.cursor() as cur:
                cur.execute("SELECT 1")
            conn.close()
            time.sleep(0.5)
            kept = tmp / "server_audit.log"
            kept.write_bytes(log.read_bytes())
        return kept
    finally:
        with root.cursor() as cur:
            cur.execute(f"DROP USER '{user}'@'%'")
        root.close()


def test_each_detector_once_and_nothing_else(tmp_path: Path) -> None:
    ctx = _policy()
    pg_log = _postgres_scenario(tmp_path)
    maria_log = _mariadb_scenario(tmp_path)
    pg_found, pg_bad = _audit(ctx, "postgres", pg_log)
    maria_found, maria_bad = _audit(ctx, "mariadb-audit", maria_log)
    found = pg_found + maria_found
    by_detector = sorted(f.detector for f in found)
    assert by_detector == sorted(
        [
            "login_failures",
            "login_compromise",
            "bulk_export",
            "batch_modify",
            "query_baseline",
            "remote_access",
        ]
    ), [(f.detector, f.reasons) for f in found]
    assert not pg_bad and not maria_bad
    one = {f.detector: f for f in found}
    assert one["login_failures"].user == "his" and one["login_failures"].evidence["failures"] >= 10
    assert one["login_compromise"].evidence["failures_before"] == 30
    assert one["batch_modify"].evidence["rows"] == 10000
    assert one["bulk_export"].evidence["how"] == "COPY ... TO"
    burst = one["query_baseline"].evidence  # the first second of the burst: it may span two
    assert burst["queries"] >= 30 and burst["robust_z"] >= 6 and burst["median"] <= 6
    assert one["remote_access"].host == "127.0.0.2" and len(one["remote_access"].reasons) == 2
