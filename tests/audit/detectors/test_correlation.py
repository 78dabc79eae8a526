from __future__ import annotations

from medshield.audit.detectors import DETECTORS, DetectorContext, LogAudit
from medshield.audit.detectors.base import Finding
from medshield.audit.sources import SOURCES, lines_from_text

SSH = [
    f"2026-12-01T02:00:{i:02d}+00:00 h sshd[{i}]: Failed password for dba from 203.0.113.7 port 1 ssh2\n"
    for i in range(12)
] + [
    "2026-12-01T02:01:00+00:00 h sshd[99]: Accepted password for dba from 203.0.113.7 port 1 ssh2\n"
]
PG = [
    "2026-12-01 02:02:00 UTC [7] dba@hisdb 203.0.113.7(5) LOG:  connection authorized: user=dba database=hisdb\n",
    "2026-12-01 02:02:05 UTC [7] dba@hisdb 203.0.113.7(5) LOG:  AUDIT: SESSION,1,1,READ,COPY,,,COPY public.patient TO stdout,<none>\n",
]


def test_ssh_then_database_becomes_one_incident(ctx: DetectorContext) -> None:
    ssh = LogAudit(SOURCES.get("sshd")(), ctx, DETECTORS)
    pg = LogAudit(SOURCES.get("pgaudit")(), ctx, DETECTORS, ssh.correlator)  # one across both
    found = [f for f in ssh.run(lines_from_text(SSH)) if isinstance(f, Finding)]
    found += [f for f in pg.run(lines_from_text("".join(PG))) if isinstance(f, Finding)]
    found += ssh.flush()
    incidents = [f for f in found if f.detector == "correlation"]
    assert len(incidents) == 1
    evidence = incidents[0].evidence
    assert evidence["stages"] == ["ssh", "database"]
    assert evidence["addresses"] == ["203.0.113.7"]
    whats = [t["what"] for t in evidence["timeline"]]
    assert whats[0] == "alert.login_failures" and "alert.bulk_export" in whats
    assert "alert.login_compromise" in whats


def test_one_stage_alone_is_no_incident(ctx: DetectorContext) -> None:
    audit = LogAudit(SOURCES.get("sshd")(), ctx, DETECTORS)
    list(audit.run(lines_from_text(SSH)))
    assert [f.detector for f in audit.flush()] == []


def test_an_older_log_read_after_ends_the_incidents_of_the_newer_one(
    ctx: DetectorContext,
) -> None:
    """An incident of 10:00 is over once the log read next is hours older: it is reported
    then, not only at the end of the batch, and the older log's events do not join it."""
    later = [line.replace("T02:", "T10:") for line in SSH]
    pg = [line.replace(" 02:", " 10:") for line in PG]
    older = [line.replace("203.0.113.7", "198.51.100.4") for line in SSH[:3]]
    ssh = LogAudit(SOURCES.get("sshd")(), ctx, DETECTORS)
    db = LogAudit(SOURCES.get("pgaudit")(), ctx, DETECTORS, ssh.correlator)
    list(ssh.run(lines_from_text(later)))
    list(db.run(lines_from_text("".join(pg))))
    found = [f for f in ssh.run(lines_from_text(older)) if isinstance(f, Finding)]
    assert [f.detector for f in found] == ["correlation"]
    assert found[0].evidence["addresses"] == ["203.0.113.7"]
    assert ssh.flush() == []
