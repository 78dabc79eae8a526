"""Throwaway servers for the log tests: a PostgreSQL cluster with pgaudit on a free port, and
MariaDB's server_audit switched on in the local server for a few users, logging to a file."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pymysql

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PGAUDIT = Path("/usr/lib/postgresql/15/lib/pgaudit.so")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass
class PgCluster:
    port: int
    log: Path
    password: str

    def url(self, user: str = "postgres", password: str | None = None, db: str = "postgres") -> str:
        return f"postgresql://{user}:{password or self.password}@127.0.0.1:{self.port}/{db}"


@contextmanager
def pgaudit_cluster() -> Iterator[PgCluster]:
    """initdb + pg_ctl start with pgaudit preloaded; stopped and removed afterwards.

    The cluster lives in its own temporary folder that the postgres user owns (a test's
    tmp_path is private to the user running the tests)."""
    folder = Path(tempfile.mkdtemp(prefix="medshield-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, log, password = folder / "data", folder / "server.log", uuid.uuid4().hex
    pwfile = folder / "pw"
    pwfile.write_text(password)
    if os.geteuid() == 0:
        shutil.chown(pwfile, "postgres", "postgres")
    subprocess.run(
        _as_postgres(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--pwfile",
                str(pwfile),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
            ]
        ),
        check=True,
        capture_output=True,
    )
    port = free_port()
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(
            f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{folder}'\n"
            "shared_preload_libraries = 'pgaudit'\nlog_connections = on\n"
            "log_line_prefix = '%m [%p] %q%u@%d %r '\nlog_timezone = 'UTC'\n"
            "pgaudit.log = 'read, write, ddl'\npgaudit.log_rows = on\n"
            "pgaudit.log_relation = off\npgaudit.log_parameter = off\n"
        )
    subprocess.run(
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield PgCluster(port, log, password)
    finally:
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
            ),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def server_audit(users: list[str]) -> Iterator[Path]:
    """server_audit on in the local MariaDB for ``users`` only, to a file of a temporary folder
    the server can write to; logging off (and the plugin uninstalled when it was not) after."""
    folder = Path(tempfile.mkdtemp(prefix="medshield-audit-"))
    os.chmod(folder, 0o777)  # noqa: S103 - the server's own user writes the audit file here
    log = folder / "server_audit.log"
    root = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
    with root.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*) FROM information_schema.PLUGINS WHERE PLUGIN_NAME='SERVER_AUDIT'"
        )
        installed = cur.fetchone()[0] > 0  # type: ignore[index]
        if not installed:
            cur.execute("INSTALL SONAME 'server_audit'")
        cur.execute("SET GLOBAL server_audit_logging = OFF")
        cur.execute(f"SET GLOBAL server_audit_file_path = '{log}'")
        cur.execute("SET GLOBAL server_audit_output_type = 'file'")
        cur.execute("SET GLOBAL server_audit_events = 'CONNECT,QUERY,TABLE'")
        cur.execute(f"SET GLOBAL server_audit_incl_users = '{','.join(users)}'")
        cur.execute("SET GLOBAL server_audit_logging = ON")
    try:
        yield log
    finally:
        with root.cursor() as cur:
            cur.execute("SET GLOBAL server_audit_logging = OFF")
            cur.execute("SET GLOBAL server_audit_incl_users = ''")
            if not installed:
                try:
                    cur.execute("UNINSTALL SONAME 'server_audit'")
                except pymysql.err.MySQLError:
                    pass  # busy: it stays installed, logging off
        root.close()
        shutil.rmtree(folder, ignore_errors=True)
