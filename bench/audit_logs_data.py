"""Log files for the log-audit benchmark: real sshd lines, and pgaudit and server_audit lines in
the shape the real servers write (see docs/audit-logs.md), scaled to a number of lines."""

from __future__ import annotations

import random
from pathlib import Path

LOGHUB = (
    Path(__file__).resolve().parents[2] / "shared" / "corpora" / "logs" / "loghub_OpenSSH_2k.log"
)
TABLES = ("visit", "patient", "prescription", "lab_result", "diagnosis", "drug")
USERS = ("his_app", "lis_app", "report", "dba", "nurse01", "doctor07")


def write_sshd(path: Path, lines: int) -> None:
    """The loghub OpenSSH lines, repeated to ``lines``."""
    real = LOGHUB.read_text("utf-8").splitlines(keepends=True)
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            out.write(real[i % len(real)])


def write_pgaudit(path: Path, lines: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            sec = i // 500
            stamp = f"2026-12-06 {8 + sec // 3600 % 12:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}.{i % 1000:03d} UTC"
            user, pid = USERS[i % len(USERS)], 4000 + i % 97
            client = f"10.1.{i % 7}.{i % 200}({40000 + i % 999})"
            table = rng.choice(TABLES)
            if i % 250 == 0:
                out.write(
                    f"{stamp} [{pid}] {user}@his {client} LOG:  connection authorized: user={user} database=his\n"
                )
            elif i % 97 == 0:
                out.write(
                    f"{stamp} [{pid}] {user}@his {client} LOG:  AUDIT: SESSION,{i},1,WRITE,UPDATE,,,"
                    f'"UPDATE {table} SET status = 2, updated = now() WHERE id = {i}",<not logged>,1\n'
                )
            else:
                out.write(
                    f"{stamp} [{pid}] {user}@his {client} LOG:  AUDIT: SESSION,{i},1,READ,SELECT,,,"
                    f'"SELECT id, dept, status FROM {table} WHERE id = {i % 5000}",<not logged>,1\n'
                )


def write_server_audit(path: Path, lines: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            sec = i // 500
            stamp = f"20261206 {8 + sec // 3600 % 12:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}"
            user, conn = USERS[i % len(USERS)], 200 + i % 53
            client = f"10.2.{i % 5}.{i % 200}"
            table = rng.choice(TABLES)
            if i % 300 == 0:
                out.write(f"{stamp},db1,{user},{client},{conn},0,CONNECT,his,,0\n")
            elif i % 2:
                out.write(f"{stamp},db1,{user},{client},{conn},{i},READ,his,{table},\n")
            else:
                out.write(
                    f"{stamp},db1,{user},{client},{conn},{i},QUERY,his,"
                    f"'select id, dept from {table} where id = {i % 5000}',0\n"
                )
