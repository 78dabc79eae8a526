"""``medshield audit log``: batch, bad input, and --follow killed with SIGKILL and restarted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

from medshield.ledger import open_ledger

from .conftest import Medshield

ROOT = Path(__file__).resolve().parents[2]


def _lines(start: int, count: int) -> str:
    return "".join(
        f"Dec  1 03:{(i // 60) % 60:02d}:{i % 60:02d} h sshd[{i}]: Failed password for u{i % 7} "
        f"from 198.51.{(i // 250) % 250}.{i % 250} port {i % 60000} ssh2\n"
        for i in range(start, start + count)
    )


def test_batch_reports_bad_lines_with_codes_and_goes_on(
    medshield: Medshield, tmp_path: Path
) -> None:
    log = tmp_path / "auth.log"
    log.write_bytes(
        b"\x00\xff\xfe binary\n"
        + _lines(0, 20).encode()
        + b"not a log line at all\n"
        + _lines(20, 5).encode()
        + b"Dec  1 03:00:00 h sshd[1]: Failed password for"
    )
    url = f"sqlite:///{tmp_path / 'store.db'}"
    code, out, err = medshield("audit", "log", str(log), "--source", "sshd", "--url", url)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["code"] for r in rows if r["record"] == "bad_line"] == ["MS911", "MS913"]
    assert "error[MS911]: 1 bad lines" in err and "error[MS913]: 1 bad lines" in err
    assert "25 events" in err  # the truncated last line has no address: no event, no crash
    code, out, err = medshield("audit", "log", str(log), "--source", "sshd", "--url", url)
    assert out == "" and "read 1 lines" in err  # resumed; only the unfinished line again


def test_unknown_source_is_a_coded_error(medshield: Medshield, tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("x\n")
    code, _, err = medshield("audit", "log", str(log), "--source", "nginx")
    assert code != 0 and "nginx" in err


def _start(log: Path, url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MEDSHIELD_STORE_URL": url}
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from medshield.cli.app import main; main()",
            "audit",
            "log",
            str(log),
            "--source",
            "sshd",
            "--follow",
            "--poll",
            "0.05",
            "--commit-every",
            "300",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _read_to(url: str) -> dict[int, int]:
    """inode -> the furthest offset recorded as read."""
    furthest: dict[int, int] = {}
    with open_ledger(url) as ledger:
        for record in ledger.records(action_prefix="audit.log_read"):
            d = record.event.detail
            furthest[d["inode"]] = max(furthest.get(d["inode"], 0), d["to"])
    return furthest


def _wait(done: Callable[[], bool], proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, "the follower made no progress"
        time.sleep(0.02)


@pytest.mark.slow
def test_follow_survives_sigkill_and_rotation(tmp_path: Path) -> None:
    log = tmp_path / "auth.log"
    url = f"sqlite:///{tmp_path / 'store.db'}"
    log.write_text(_lines(0, 30_000))
    first, size = log.stat().st_ino, log.stat().st_size
    killed_at = []
    for more in (0, 5_000):
        if more:
            with log.open("a") as out:
                out.write(_lines(30_000, more))
        proc = _start(log, url)
        before = _read_to(url).get(first, 0)
        _wait(lambda before=before: _read_to(url).get(first, 0) > before, proc)
        time.sleep(0.05)  # part-way through the next batch of lines
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_at.append(_read_to(url)[first])
    assert killed_at[0] < size  # killed before the end of the file
    log.rename(tmp_path / "auth.log.1")  # rotation while nobody follows
    log.write_text(_lines(35_000, 2_000))
    proc = _start(log, url)
    second = log.stat().st_ino
    _wait(lambda: _read_to(url).get(second, 0) >= log.stat().st_size, proc)
    with log.open("a") as out:  # rotation while following
        out.write(_lines(37_000, 1_000))
    (tmp_path / "auth.log.1").rename(tmp_path / "auth.log.2")
    log.rename(tmp_path / "auth.log.1")
    log.write_text(_lines(38_000, 1_000))
    third = log.stat().st_ino
    _wait(lambda: _read_to(url).get(third, 0) >= log.stat().st_size, proc)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0, proc.stderr.read() if proc.stderr else ""

    ranges: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    with open_ledger(url) as ledger:
        for record in ledger.records(action_prefix="audit.log_read"):
            d = record.event.detail
            ranges[d["inode"]].append((d["from"], d["to"], d["events"]))
        findings = sum(1 for _ in ledger.records(action_prefix="alert.login_failures"))
    sizes = {first: 35_000, second: 3_000, third: 1_000}
    for inode, spans in ranges.items():
        spans.sort()
        assert spans[0][0] == 0
        for (_, end, _), (start, _, _) in zip(spans, spans[1:], strict=False):
            assert start == end, f"a gap or an overlap in {inode}: {spans}"
    assert {k: sum(e for _, _, e in v) for k, v in ranges.items()} == sizes
    assert findings >= 1
