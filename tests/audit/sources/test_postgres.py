"""PostgreSQL stderr and csvlog: connections, failed logins, statements."""

from __future__ import annotations

from medshield.audit.sources import BadLine, LogEvent, lines_from_text
from medshield.audit.sources.postgres import _STDERR, PostgresSource

STDERR = """\
2026-12-06 02:30:00.001 UTC [77] [unknown]@[unknown] LOG:  connection received: host=10.9.9.9 port=5000
2026-12-06 02:30:00.010 UTC [77] bob@hisdb FATAL:  password authentication failed for user "bob"
2026-12-06 02:30:00.011 UTC [77] bob@hisdb DETAIL:  Connection matched pg_hba.conf line 5
2026-12-06 02:30:01.000 UTC [78] bob@hisdb LOG:  statement: select *
\tfrom patient
"""

CSVLOG = (
    '2026-12-06 02:30:02.000 UTC,"bob","hisdb",79,"10.9.9.9:5001",6569,1,"authentication",'
    '2026-12-06 02:30:02 UTC,3/1,0,LOG,00000,"connection authorized: user=bob database=hisdb",'
    ',,,,,,,,"","client backend",,0\n'
)


def test_stderr_failed_login_takes_the_client_of_its_process() -> None:
    events = [
        e for e in PostgresSource().events(lines_from_text(STDERR)) if isinstance(e, LogEvent)
    ]
    failed = next(e for e in events if e.kind == "login")
    assert (failed.outcome, failed.user, failed.host) == ("failure", "bob", "10.9.9.9")
    query = events[-1]
    assert query.statement == "select *\n\tfrom patient" and query.line == 4


def test_csvlog_login() -> None:
    (event,) = PostgresSource().events(lines_from_text(CSVLOG))
    assert isinstance(event, LogEvent)
    assert (event.kind, event.outcome, event.user, event.host) == (
        "login",
        "success",
        "bob",
        "10.9.9.9",
    )


def test_unknown_and_binary_lines_are_counted_not_fatal() -> None:
    text = "hello world\n\x00\x01binary\n" + STDERR
    items = list(PostgresSource().events(lines_from_text(text)))
    codes = [i.code for i in items if isinstance(i, BadLine)]
    assert sorted(codes) == ["MS911", "MS913"]
    assert sum(isinstance(i, LogEvent) for i in items) == 3  # DETAIL lines add nothing


def test_the_stderr_prefix_groups_are_its_fields_in_order() -> None:
    """The stderr reader unpacks ``groups()``: no other group may come between."""
    assert _STDERR.groups == 7
    assert list(_STDERR.groupindex) == ["stamp", "pid", "user", "db", "host", "level", "msg"]
