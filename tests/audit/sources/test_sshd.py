"""sshd lines against fail2ban's annotated test log: every annotated line, host and outcome."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from medshield.audit.sources import LogEvent, lines_from_text
from medshield.audit.sources.sshd import _FAST, _GROUPS, SshdSource
from medshield.audit.sources.syslog import _BSD, Envelope, EnvelopeReader

EXCEPTIONS = json.loads((Path(__file__).parent / "sshd_exceptions.json").read_text("utf-8"))


def _annotated(corpora: Path) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    lines = (corpora / "logs" / "fail2ban_testlog_sshd.txt").read_text("utf-8")
    lines_list = lines.splitlines(keepends=True)
    found = []
    for number, line in enumerate(lines_list, start=1):
        if line.startswith("# failJSON:"):
            note = json.loads(line[len("# failJSON:") :])
            constraint = note.get("constraint")
            scope = {"name": "sshd", "opts": {"mode": "aggressive"}}
            if constraint and not eval(constraint, {}, scope):  # noqa: S307 - the corpus's own test expressions
                continue
            found.append((number + 1, note))
    return lines_list, found


def test_every_annotated_line_has_its_host_and_outcome(shared_corpora: Path) -> None:
    lines, annotated = _annotated(shared_corpora)
    events = {
        e.line: e for e in SshdSource().events(lines_from_text(lines)) if isinstance(e, LogEvent)
    }
    wrong = {}
    for number, note in annotated:
        event = events.get(number)
        failure = event is not None and event.outcome == "failure"
        host_ok = not note["match"] or "host" not in note or (event and event.host == note["host"])
        if failure != note["match"] or not host_ok:
            wrong[str(number)] = (note, event and (event.outcome, event.host))
    assert len(annotated) == 154  # 155 annotations, one for the normal mode only
    assert set(wrong) == set(EXCEPTIONS) - {"_comment"}, wrong


@pytest.mark.parametrize(
    ("line", "outcome", "host", "user"),
    [
        (
            "Feb 25 14:34:10 belka sshd[31603]: Failed password for invalid user ROOT from "
            "aaaa:bbbb:cccc:1234::1:1 port 50273 ssh2",
            "failure",
            "aaaa:bbbb:cccc:1234::1:1",
            "ROOT",
        ),
        (
            "Jan  5 01:31:41 www sshd[1643]: ROOT LOGIN REFUSED FROM ::ffff:1.2.3.4",
            "failure",
            "1.2.3.4",
            "root",
        ),
        (
            "May 29 20:56:52 imago sshd[28732]: error: PAM: Authentication failure for stefanor from "
            "example.com",
            "failure",
            "example.com",
            "stefanor",
        ),
        (
            "Mar  7 18:53:20 bar sshd[1556]: Accepted password for rda from 192.0.2.113 port 52100 ssh2",
            "success",
            "192.0.2.113",
            "rda",
        ),
        (
            '{"__REALTIME_TIMESTAMP":"1700000000000000","_HOSTNAME":"h","SYSLOG_IDENTIFIER":"sshd",'
            '"_PID":"7","MESSAGE":"Failed password for root from 203.0.113.9 port 22 ssh2"}',
            "failure",
            "203.0.113.9",
            "root",
        ),
        (
            "2023-11-14T22:13:20+0000 h sshd[7]: Invalid user oracle from 203.0.113.9 port 4",
            "failure",
            "203.0.113.9",
            "oracle",
        ),
    ],
)
def test_formats(line: str, outcome: str, host: str, user: str) -> None:
    (event,) = SshdSource().events(lines_from_text(line + "\n"))
    assert isinstance(event, LogEvent)
    assert (event.outcome, event.host, event.user) == (outcome, host, user)
    assert event.at is not None


def test_journal_json_time() -> None:
    line = (
        '{"__REALTIME_TIMESTAMP":"1700000000000000","SYSLOG_IDENTIFIER":"sshd",'
        '"MESSAGE":"Accepted publickey for git from 192.0.2.1 port 5 ssh2"}\n'
    )
    (event,) = SshdSource().events(lines_from_text(line))
    assert isinstance(event, LogEvent)
    assert event.at is not None and event.at.year == 2023


def _corpus_texts(corpora: Path) -> list[str]:
    logs = corpora / "logs"
    lines = (logs / "loghub_OpenSSH_2k.log").read_text("utf-8").splitlines()
    lines += (logs / "fail2ban_testlog_sshd.txt").read_text("utf-8").splitlines()
    return [line for line in lines if not line.startswith("#")]


def test_the_one_match_envelope_reads_as_the_general_expression(shared_corpora: Path) -> None:
    """Where BSD_FAST reads a line (sshd's hot path and the envelope reader's first try), the
    general expression it stands in for reads the same envelope."""
    reader = EnvelopeReader()
    read = 0
    for text in _corpus_texts(shared_corpora):
        fast = reader._bsd_fast(text)
        if fast is None:
            continue
        read += 1
        m = _BSD.match(text)
        assert m is not None, text
        general = Envelope(reader.stamps.syslog(m["stamp"]), m["host"], m["prog"], m["pid"],
                           m["msg"])  # fmt: skip
        assert fast == general, text
    assert read > 2000


def test_every_fast_lane_reads_as_its_rule(shared_corpora: Path) -> None:
    reader, taken = EnvelopeReader(), Counter[str]()
    for text in _corpus_texts(shared_corpora):
        envelope = reader.read(text)
        if envelope is None:
            continue
        word = envelope.message.partition(" ")[0]
        lane = _FAST.get(word)
        m = lane[0].match(envelope.message) if lane else None
        if lane is None or m is None:
            continue
        taken[word] += 1
        start, pattern = lane[1][:2]
        full = pattern.match(envelope.message)
        assert envelope.message.startswith(start) and full is not None, text
        assert m.group(*_GROUPS) == full.group(*_GROUPS), text
    assert set(taken) == set(_FAST) and min(taken.values()) > 10, taken
