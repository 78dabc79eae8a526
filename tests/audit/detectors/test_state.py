"""Detector state kept with the read position: a restart neither forgets nor counts twice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pytest

from medshield.audit.detectors import DETECTORS, DetectorContext, Finding, LogAudit, log_run
from medshield.audit.detectors.log_run import LogRun
from medshield.audit.detectors.record import LedgerRecorder, pack_state, unpack_state
from medshield.audit.sources import SOURCES, lines_from_text, read_file
from medshield.audit.sources.base import BadLine, Line
from medshield.ledger import open_ledger

from .conftest import with_policy

ATTACKER = "203.0.113.9"


def _failures(start: int, count: int) -> str:
    return "".join(
        f"2026-12-01T02:{i // 60:02d}:{i % 60:02d}+00:00 h sshd[{100 + i}]: Failed password for "
        f"root from {ATTACKER} port {4000 + i} ssh2\n"
        for i in range(start, start + count)
    )


def _run(ctx: DetectorContext, path: Path, url: str) -> list[Finding]:
    """One run of ``medshield audit log PATH --source sshd``: from the recorded position on."""
    found: list[Finding | BadLine] = []
    with open_ledger(url) as ledger:
        audit = LogAudit(SOURCES.get("sshd")(), ctx, DETECTORS)
        LogRun(audit, path, found.append, LedgerRecorder(ledger, path, "sshd")).batch()
    return [f for f in found if isinstance(f, Finding)]


def _alerts(url: str, action: str) -> int:
    with open_ledger(url) as ledger:
        return sum(1 for _ in ledger.records(action_prefix=action))


def test_restart_mid_attack_does_not_raise_the_episode_again(
    ctx: DetectorContext, tmp_path: Path, sqlite_url: str
) -> None:
    log = tmp_path / "auth.log"
    log.write_text(_failures(0, 20))
    first = _run(ctx, log, sqlite_url)
    assert [f.detector for f in first] == ["login_failures"]
    with log.open("a") as out:
        out.write(_failures(20, 10))  # the attack goes on after the restart
    assert [f.detector for f in _run(ctx, log, sqlite_url)] == []
    assert _alerts(sqlite_url, "alert.login_failures") == 1


def test_restart_mid_attack_keeps_the_failures_before_it(
    ctx: DetectorContext, tmp_path: Path, sqlite_url: str
) -> None:
    ctx = with_policy(ctx, login_failures={"per_ip": 25})
    log = tmp_path / "auth.log"
    log.write_text(_failures(0, 20))
    assert _run(ctx, log, sqlite_url) == []
    with log.open("a") as out:
        out.write(_failures(20, 10))
    (found,) = _run(ctx, log, sqlite_url)
    assert found.detector == "login_failures" and found.evidence["failures"] == 25
    assert found.evidence["since"] == "2026-12-01T02:00:00+00:00"  # the episode began before
    assert _alerts(sqlite_url, "alert.login_failures") == 1


def test_state_round_trip_gives_the_findings_of_one_run(
    ctx: DetectorContext, shared_corpora: Path
) -> None:
    """The loghub log read at once, and read in two halves with the state passed through JSON
    between two processes' worth of objects: the same findings."""
    lines = list(read_file(shared_corpora / "logs" / "loghub_OpenSSH_2k.log"))

    def findings(audit: LogAudit, part: list[tuple[int, int, int, bytes]]) -> list[dict]:
        return [f.as_row() for f in audit.run(part) if isinstance(f, Finding)]

    whole = LogAudit(SOURCES.get("sshd")(), ctx, DETECTORS)
    expected = findings(whole, lines) + [f.as_row() for f in whole.flush()]
    assert any(f["detector"] == "login_failures" for f in expected)
    for cut in (300, 1000, 1700):
        before = LogAudit(SOURCES.get("sshd")(), ctx, DETECTORS)
        got = findings(before, lines[:cut])
        after = LogAudit(SOURCES.get("sshd")(), ctx, DETECTORS)
        after.restore(json.loads(json.dumps(before.state())))
        got += findings(after, lines[cut:]) + [f.as_row() for f in after.flush()]
        assert got == expected, cut


def test_database_baselines_and_incidents_survive(ctx: DetectorContext) -> None:
    """A query burst after a restart is measured against the history from before it, and an
    incident opened by the SSH log goes on in the database log after the restart."""
    ctx = with_policy(ctx, query_baseline={"min_history": 5, "min_queries": 10})
    quiet = [
        f"2026-12-01 0{1 + m // 60}:{m % 60:02d}:{s:02d} UTC [7] his@hisdb 10.1.0.5(5) LOG:  "
        f"AUDIT: SESSION,1,1,READ,SELECT,,,SELECT * FROM visit WHERE id = {m},<none>\n"
        for m in range(8)
        for s in (0, 20, 40)
    ]
    burst = [
        f"2026-12-01 01:09:{s:02d} UTC [7] his@hisdb 10.1.0.5(5) LOG:  "
        f"AUDIT: SESSION,1,1,READ,SELECT,,,SELECT * FROM visit WHERE id = {s},<none>\n"
        for s in range(60)
    ] + ["2026-12-01 01:11:00 UTC [7] his@hisdb 10.1.0.5(5) LOG:  AUDIT: SESSION,1,1,READ,"
         "SELECT,,,SELECT 1 FROM visit,<none>\n"]  # fmt: skip
    before = LogAudit(SOURCES.get("pgaudit")(), ctx, DETECTORS)
    assert [f for f in before.run(lines_from_text("".join(quiet))) if isinstance(f, Finding)] == []
    after = LogAudit(SOURCES.get("pgaudit")(), ctx, DETECTORS)
    after.restore(json.loads(json.dumps(before.state())))
    found = [f for f in after.run(lines_from_text("".join(burst))) if isinstance(f, Finding)]
    assert [f.action for f in found] == ["alert.query_pattern"]
    fresh = LogAudit(SOURCES.get("pgaudit")(), ctx, DETECTORS)  # no history: no baseline yet
    assert [f for f in fresh.run(lines_from_text("".join(burst))) if isinstance(f, Finding)] == []


def test_state_with_an_identifier_keeps_the_windows_only(ctx: DetectorContext) -> None:
    ssh = LogAudit(SOURCES.get("sshd")(), ctx, DETECTORS)
    list(ssh.run(lines_from_text(_failures(0, 12))))
    state = ssh.state()
    assert state["correlation"]["open"]  # the brute force opened an incident
    state["correlation"]["open"][0][3].append({"note": "WHERE id_no = '110101199003074514'"})
    kept = unpack_state(pack_state(state))
    assert kept is not None and "correlation" not in kept
    assert (
        kept["detector:login_failures"] == json.loads(json.dumps(state))["detector:login_failures"]
    )


class _KilledError(Exception):
    pass


@pytest.mark.parametrize("state_every", [8, 10**6])
def test_killed_between_states_reads_the_lines_since_again(
    ctx: DetectorContext,
    tmp_path: Path,
    sqlite_url: str,
    state_every: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Killed after 17 lines: positions were recorded every 5 lines, the state at line 10 (or
    never). The restart takes the state back and reads lines 11-15 (or 1-15) again silently."""
    ctx = with_policy(ctx, login_failures={"per_ip": 30})
    log = tmp_path / "auth.log"
    log.write_text(_failures(0, 20))

    def dies_after_17(path: Path, offset: int = 0) -> Iterator[Line]:
        yield from islice(read_file(path, offset), 17)
        raise _KilledError

    with monkeypatch.context() as patch, open_ledger(sqlite_url) as ledger:
        patch.setattr(log_run, "read_file", dies_after_17)
        audit = LogAudit(SOURCES.get("sshd")(), ctx, DETECTORS)
        run = LogRun(audit, log, lambda _: None, LedgerRecorder(ledger, log, "sshd"),
                     commit_every=5, state_every=state_every, state_seconds=1e9)  # fmt: skip
        with pytest.raises(_KilledError):
            run.batch()
        assert run.start.offset > 0
    with log.open("a") as out:
        out.write(_failures(20, 10))
    (found,) = _run(ctx, log, sqlite_url)
    assert found.evidence["failures"] == 30  # the last line: none lost, none twice
    assert found.evidence["since"] == "2026-12-01T02:00:00+00:00"
    with open_ledger(sqlite_url) as ledger:
        reads = [r.event.detail for r in ledger.records(action_prefix="audit.log_read")]
    assert sum(d["events"] for d in reads) == 30  # every line recorded once
    assert any("state" in d for d in reads[:-1]) is (state_every == 8)
