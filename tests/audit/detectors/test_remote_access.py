from __future__ import annotations

from medshield.audit.detectors import DetectorContext

from .conftest import audit_text, with_policy


def _login(hour: int, host: str) -> str:
    # 2026-12-01 is a Tuesday; the stamp is UTC, the policy's zone Asia/Shanghai (+8)
    return f"2026-12-01T{hour:02d}:00:00+00:00 h sshd[1]: Accepted password for dba from {host} port 1 ssh2\n"


def test_inside_in_hours_is_quiet(ctx: DetectorContext) -> None:
    assert audit_text(ctx, "sshd", [_login(2, "10.1.0.5")]) == []  # 10:00 local, h1's network


def test_outside_off_hours_and_new_source(ctx: DetectorContext) -> None:
    ctx = with_policy(ctx, remote_access={"baseline_logins": 1})
    found = audit_text(ctx, "sshd", [_login(2, "10.1.0.5"), _login(16, "198.51.100.4")])
    (finding,) = found
    assert finding.detector == "remote_access" and finding.host == "198.51.100.4"
    assert len(finding.reasons) == 3 and finding.severity == "high"
