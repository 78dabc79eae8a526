from __future__ import annotations

from medshield.audit.detectors import DetectorContext

from .conftest import audit_text


def test_success_after_failures(ctx: DetectorContext) -> None:
    lines = [
        f"Dec  1 03:00:{i:02d} h sshd[{100 + i}]: Failed password for dba from 203.0.113.7 port 1 ssh2\n"
        for i in range(6)
    ]
    lines.append(
        "Dec  1 03:00:30 h sshd[200]: Accepted password for dba from 203.0.113.7 port 1 ssh2\n"
    )
    found = [f for f in audit_text(ctx, "sshd", lines) if f.detector == "login_compromise"]
    assert len(found) == 1 and found[0].evidence["failures_before"] == 6


def test_success_after_few_failures_is_quiet(ctx: DetectorContext) -> None:
    lines = [
        "Dec  1 10:00:00 h sshd[1]: Failed password for dba from 10.1.0.5 port 1 ssh2\n",
        "Dec  1 10:00:05 h sshd[2]: Accepted password for dba from 10.1.0.5 port 1 ssh2\n",
    ]
    assert audit_text(ctx, "sshd", lines) == []


def test_failures_a_window_before_the_success_are_not_counted(ctx: DetectorContext) -> None:
    """The failures are ten minutes' window old by the time of the success: not a compromise.
    The same success within the window of fresh failures is one."""
    failures = [
        f"Dec  1 03:00:{i:02d} h sshd[{100 + i}]: Failed password for dba from 203.0.113.7 port 1 ssh2\n"
        for i in range(6)
    ]
    late = "Dec  1 05:00:00 h sshd[200]: Accepted password for dba from 203.0.113.7 port 1 ssh2\n"
    assert [
        f for f in audit_text(ctx, "sshd", [*failures, late]) if f.detector == "login_compromise"
    ] == []
    soon = "Dec  1 03:09:00 h sshd[200]: Accepted password for dba from 203.0.113.7 port 1 ssh2\n"
    found = [
        f for f in audit_text(ctx, "sshd", [*failures, soon]) if f.detector == "login_compromise"
    ]
    assert [f.evidence["failures_before"] for f in found] == [6]
