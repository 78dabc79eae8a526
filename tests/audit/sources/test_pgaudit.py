"""pgaudit records: the regression output of pgaudit itself, every record read."""

from __future__ import annotations

from pathlib import Path

from medshield.audit.sources import BadLine, LogEvent, lines_from_text, read_file
from medshield.audit.sources.pgaudit import PgauditSource
from medshield.audit.sources.pgaudit_record import _COMMON, _split, audit_event


def test_every_record_of_the_regression_output(shared_corpora: Path) -> None:
    path = shared_corpora / "logs" / "pgaudit_expected_regress.out"
    expected = path.read_text("utf-8").count("AUDIT: ")
    items = list(PgauditSource().events(read_file(path)))
    assert not [i for i in items if isinstance(i, BadLine)]
    events = [i for i in items if isinstance(i, LogEvent)]
    assert len(events) == expected == 415
    assert {e.detail["audit_type"] for e in events} == {"SESSION", "OBJECT"}
    cursor = next(e for e in events if e.command == "DECLARE CURSOR")
    assert cursor.statement is not None and cursor.statement.count("\n") == 7
    assert cursor.end > cursor.start


def test_stderr_record_with_rows_and_client() -> None:
    line = (
        "2026-12-06 02:30:01.123 UTC [4242] his@hisdb 10.1.2.3(50432) LOG:  AUDIT: SESSION,1,1,"
        "WRITE,DELETE,TABLE,public.visit,delete from visit where id < 10001,<not logged>,10000\n"
    )
    (event,) = PgauditSource().events(lines_from_text(line))
    assert isinstance(event, LogEvent)
    assert (event.user, event.database, event.host) == ("his", "hisdb", "10.1.2.3")
    assert (event.command, event.object, event.rows) == ("DELETE", "public.visit", 10000)


def test_truncated_record_is_a_bad_line() -> None:
    line = "2026-12-06 02:30:01.123 UTC [4242] his@hisdb LOG:  AUDIT: SESSION,1,1,WRITE\n"
    (item,) = PgauditSource().events(lines_from_text(line))
    assert isinstance(item, BadLine) and item.code == "MS912"


def test_the_common_shape_reads_as_the_split(shared_corpora: Path) -> None:
    text = (shared_corpora / "logs" / "pgaudit_expected_regress.out").read_text("utf-8")
    records = [line.split("AUDIT: ", 1)[1] for line in text.splitlines() if "AUDIT: " in line]
    # and the shapes around the common one: no rows, more fields, quotes doubled, a cut record
    records += [
        'SESSION,1,1,READ,SELECT,,,"select a, ""b"" from t",<none>',
        "SESSION,1,1,READ,SELECT,,,select 1,<none>,3,more",
        'OBJECT,1,1,WRITE,DELETE,TABLE,public.visit,"delete from visit",<none>,10000',
        'SESSION,1,1,READ,SELECT,,,"select 1"',
        "SESSION,1,1,READ,SELECT,,,select 1",
    ]
    common = 0
    for record in records:
        m = _COMMON.match(record)
        if m is None or (m[6] is None and ("\n" in record or "\r" in record)):
            continue
        common += 1
        fields, event = _split(record), audit_event(record, "pgaudit")
        assert fields is not None and event is not None, record
        rows = fields[9] if len(fields) > 9 else ""
        assert (
            event.detail["audit_type"], event.detail["class"], event.command,
            event.detail["object_type"], event.object, event.statement, event.rows,
        ) == (
            fields[0], fields[3], fields[4], fields[5] or None, fields[6] or None, fields[7],
            int(rows) if rows.isdigit() else None,
        ), record  # fmt: skip
    assert common > 200
