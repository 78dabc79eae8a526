"""Log audit: parse and detect on sshd, pgaudit and server_audit logs scaled to 1M lines.

sshd: beside fail2ban's own ``fail2ban-regex`` (Debian package fail2ban, its sshd filter) on the
same file in the same run, both per CPU second (the machine is shared; CPU time is the fair
figure). pgaudit and server_audit: beside Python's ``csv.reader`` only splitting the same lines
(what reading the fields costs at the least). Memory while following: the resident size of a
``medshield audit log --follow`` process after the whole file beside after its first tenth.
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.audit_logs_data import LOGHUB, write_pgaudit, write_server_audit, write_sshd
from bench.harness import Row
from medshield.audit.detectors import DETECTORS, DetectorContext, LogAudit
from medshield.audit.sources import SOURCES, read_file
from medshield.ledger import open_ledger
from medshield.policy import load_bundle

FULL, QUICK = 1_000_000, 50_000
TARGET = ">= 100,000/s and >= 5x"


def _medshield(source: str, path: Path, ctx: DetectorContext) -> tuple[float, int]:
    audit = LogAudit(SOURCES.get(source)(), ctx, DETECTORS)  # type: ignore[call-arg]
    cpu = time.process_time()
    for _ in audit.run(read_file(path)):
        pass
    audit.flush()
    return time.process_time() - cpu, audit.counts.lines


def _fail2ban(path: Path) -> float | None:
    """CPU seconds of ``fail2ban-regex FILE sshd`` (children's rusage), None when not installed."""
    binary = shutil.which("fail2ban-regex")
    if binary is None:
        return None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([binary, str(path), "sshd"], check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _csv_only(path: Path) -> float:
    cpu = time.process_time()
    with path.open(newline="", encoding="utf-8") as stream:
        for _ in csv.reader(stream):
            pass
    return time.process_time() - cpu


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _follow_memory(folder: Path, lines: int) -> tuple[float, float]:
    """(RSS MB after the whole file, RSS MB after its first tenth) of a following process."""
    log, store = folder / "follow.log", f"sqlite:///{folder / 'follow.db'}"
    source = folder / "source.log"
    write_sshd(source, lines)
    chunks = source.read_bytes().splitlines(keepends=True)
    tenth = len(chunks) // 10
    log.write_bytes(b"".join(chunks[:tenth]))
    env = {**os.environ, "MEDSHIELD_STORE_URL": store}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from medshield.cli.app import main; main()", "audit", "log",
         str(log), "--source", "sshd", "--follow", "--poll", "0.05"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_read(store, log.stat().st_size, proc)
        first = _rss_kb(proc.pid)
        for part in range(1, 10):
            with log.open("ab") as out:
                out.write(b"".join(chunks[part * tenth : (part + 1) * tenth]))
            _wait_read(store, log.stat().st_size, proc)
        last = _rss_kb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return last / 1024, first / 1024


def _wait_read(store: str, size: int, proc: subprocess.Popen[bytes]) -> None:
    while True:
        if proc.poll() is not None:
            raise RuntimeError("the follower stopped")
        with open_ledger(store) as ledger:
            done = max(
                (r.event.detail["to"] for r in ledger.records(action_prefix="audit.log_read")),
                default=0,
            )
        if done >= size - 200:  # the last line may have produced no event: re-read at resume
            return
        time.sleep(0.2)


def run(quick: bool) -> list[Row]:
    lines = QUICK if quick else FULL
    ctx = DetectorContext.from_bundle(load_bundle())
    folder = Path(tempfile.mkdtemp(prefix="bench-audit-logs-"))
    rows: list[Row] = []
    try:
        sshd = folder / "auth.log"
        write_sshd(sshd, lines)
        cpu, read = _medshield("sshd", sshd, ctx)
        f2b = _fail2ban(sshd)
        rows.append(Row(f"log audit sshd parse+detect, {read:,} lines", read / cpu, "lines/cpu-s",
                        "fail2ban-regex sshd", read / f2b if f2b else None, TARGET,
                        f"{LOGHUB.name} x{read // 2000}"))  # fmt: skip
        for source, write, name in (
            ("pgaudit", write_pgaudit, "pgaudit stderr (generated, bench/audit_logs_data.py)"),
            (
                "mariadb-audit",
                write_server_audit,
                "server_audit (generated, bench/audit_logs_data.py)",
            ),
        ):
            path = folder / f"{source}.log"
            write(path, lines)
            cpu, read = _medshield(source, path, ctx)
            rows.append(Row(f"log audit {source} parse+detect, {read:,} lines", read / cpu,
                            "lines/cpu-s", "csv.reader split only", read / _csv_only(path),
                            ">= 100,000/s", name))  # fmt: skip
        last, first = _follow_memory(folder, lines // 5)
        rows.append(Row(f"log audit --follow RSS after {lines // 5:,} lines", last, "MB",
                        "RSS after the first tenth", first, "flat (~1.0x)",
                        f"{LOGHUB.name} repeated"))  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows
