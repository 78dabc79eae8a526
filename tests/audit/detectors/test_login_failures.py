"""Login failures on the loghub OpenSSH log: the brute-force sources, their span and accounts."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from medshield.audit.detectors import DETECTORS, DetectorContext, Finding, LogAudit
from medshield.audit.detectors.login_failures import LoginFailureDetector
from medshield.audit.sources import SOURCES, read_file
from medshield.audit.sources.base import LogEvent

from .conftest import audit_text

FAILED = re.compile(
    r"^(\w{3} +\d+ [\d:]+) \S+ sshd\[\d+\]: Failed password for (?:invalid user )?(\S*) from (\S+)"
)


def _expected(path: Path, window: int, threshold: int) -> dict[str, tuple[datetime, set[str]]]:
    """Addresses with ``threshold`` 'Failed password' lines within ``window`` seconds, by a plain
    reading of the file (independent of the source and the detector)."""
    times: dict[str, list[datetime]] = defaultdict(list)
    users: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text("utf-8").splitlines():
        m = FAILED.match(line)
        if m:
            at = datetime.strptime(f"2000 {m[1]}", "%Y %b %d %H:%M:%S")
            times[m[3]].append(at)
            users[m[3]].add(m[2])
    found = {}
    for ip, seen in times.items():
        for i in range(len(seen)):
            j = i + threshold - 1
            if j < len(seen) and (seen[j] - seen[i]).total_seconds() < window:
                found[ip] = (seen[0], users[ip])
                break
    return found


def test_loghub_brute_force_sources(shared_corpora: Path, ctx: DetectorContext) -> None:
    path = shared_corpora / "logs" / "loghub_OpenSSH_2k.log"
    policy = ctx.policy.login_failures
    expected = _expected(path, policy.window_seconds, policy.per_ip)
    audit = LogAudit(SOURCES.get("sshd")(), ctx, DETECTORS)
    findings = [f for f in audit.run(read_file(path)) if isinstance(f, Finding)]
    detector = next(d for d in audit.detectors if isinstance(d, LoginFailureDetector))
    episodes = defaultdict(list)  # an address may come back after a quiet window
    for e in detector.episodes():
        if e.key.startswith("ip:"):
            episodes[e.key[3:]].append(e)
    assert set(episodes) == set(expected)
    for ip, (first_failed, users) in expected.items():
        accounts = set().union(*(e.accounts for e in episodes[ip]))
        assert users <= accounts, ip
        first = min(e.first for e in episodes[ip] if e.first)
        # the episode starts at the first failure of any kind (PAM logs before sshd does)
        gap = first_failed - first.replace(year=2000, tzinfo=None)
        assert 0 <= gap.total_seconds() <= 60, ip
        assert all(e.last and e.first and e.last > e.first for e in episodes[ip])
    per_ip = {f.host for f in findings if f.evidence.get("scope") == "per_ip"}
    assert per_ip == set(expected)
    assert len(expected) >= 5  # the log holds a handful of brute-force sources


def test_an_older_log_read_after_a_newer_one_has_its_own_episode(ctx: DetectorContext) -> None:
    """The same address's failures in two logs, the older one read second: each log's burst is
    an episode of its own (time went back by hours), not the tail of the newer one's."""

    def burst(hour: int) -> str:
        return "".join(
            f"2026-12-01T{hour:02d}:00:{s:02d}+00:00 h sshd[{100 + s}]: Failed password for root"
            f" from 203.0.113.9 port {4000 + s} ssh2\n"
            for s in range(10)
        )

    found = audit_text(ctx, "sshd", burst(10) + burst(2))
    per_ip = [f for f in found if f.detector == "login_failures"]
    assert [f.evidence["since"] for f in per_ip] == [
        "2026-12-01T10:00:00+00:00",
        "2026-12-01T02:00:00+00:00",
    ]


def test_a_long_follow_closes_the_episodes_of_addresses_gone_quiet(ctx: DetectorContext) -> None:
    """Every address of a long follow opens an episode; those quiet for a window are closed
    (the raised ones still reported), so the open ones do not grow with the addresses."""
    detector = LoginFailureDetector(ctx)
    start = datetime(2026, 12, 1, tzinfo=UTC)
    for i in range(20_000):
        host = f"198.51.{i // 250}.{i % 250}"
        at = start + timedelta(seconds=i)
        for _ in range(10 if i % 1000 == 0 else 1):  # now and then a burst: raised
            detector.observe(LogEvent("sshd", "login", "failure", at, "root", host))
    assert len(detector._episodes) < 3 * 4096
    raised = [e.key for e in detector.episodes() if e.key.startswith("ip:")]
    assert raised == [f"ip:198.51.{i // 250}.{i % 250}" for i in range(0, 20_000, 1000)]


def test_a_restart_in_an_older_log_keeps_its_episode(ctx: DetectorContext) -> None:
    """Restarted while reading an older log after a newer one: the state keeps the episode of
    the log being read (its attack is not raised a second time) beside the newer one's."""

    def failure(hour: int, second: int) -> LogEvent:
        at = datetime(2026, 12, 1, hour, 0, second, tzinfo=UTC)
        user, host = ("admin", "198.51.100.7") if hour == 10 else ("root", "203.0.113.9")
        return LogEvent("sshd", "login", "failure", at, user, host)

    before = LoginFailureDetector(ctx)
    raised = [f for s in range(10) for f in before.observe(failure(10, s))]
    raised += [f for s in range(12) for f in before.observe(failure(2, s))]
    assert [f.host for f in raised] == ["198.51.100.7", "203.0.113.9"]  # one episode a log
    after = LoginFailureDetector(ctx)
    after.restore(before.state())
    assert [f for s in range(12, 20) for f in after.observe(failure(2, s))] == []
    assert [f for s in range(10, 15) for f in after.observe(failure(10, s))] == []
