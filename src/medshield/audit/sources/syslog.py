"""The envelope of a syslog or journal line: time, host, program, pid and the message.

Recognised: classic BSD syslog (``Feb 25 14:34:10 host sshd[31602]: ...``, the host or the pid
may be missing, ``[sshd]`` as program), ISO 8601 stamps (rsyslog high precision, ``journalctl -o
short-iso``), RFC 5424 (``<38>1 2019-07-08T17:40:16.95-04:00 host sshd 57915 - [sd] msg``) and
``journalctl -o json`` (one JSON object a line).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from medshield.audit.sources.timestamps import TimestampCache

_BSD = re.compile(
    r"(?P<stamp>[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)"
    r" (?:(?P<host>\S+) )??\[?(?P<prog>[A-Za-z][\w./-]*)(?:\[(?P<pid>\d+)\])?(?:\]:?|:) (?P<msg>.*)"
)
_RFC5424 = re.compile(
    r"<\d{1,3}>1 (?P<stamp>\S+) (?P<host>\S+) (?P<prog>\S+) (?P<pid>\S+) \S+ "
    r"(?P<sd>-|(?:\[(?:[^\]\"]|\"(?:[^\"\\]|\\.)*\")*\])+) ?(?P<msg>.*)"
)
_SOLARIS = re.compile(r"\[ID \d+ [\w.]+\] ")
# ``Mmm dd HH:MM:SS host prog[pid]: message``, the envelope of most lines of most auth logs, in
# one match: the host up to the first space, the tag up to the first "]: " and without spaces,
# its program before its first "[", no Solaris message ID. Its stamp and pid are checked after.
BSD_FAST = re.compile(r"(.{9}:..:..) ([^ ]*) ([^ \[]*)\[([^ ]*)\]: (?!\[ID )(.*)", re.DOTALL)


@dataclass(slots=True)
class Envelope:
    at: datetime | None
    host: str | None
    program: str
    pid: str | None
    message: str


class EnvelopeReader:
    """Splits lines into :class:`Envelope`; None when a line is in none of the formats."""

    def __init__(self, year: int | None = None) -> None:
        self.stamps = TimestampCache(year)

    def read(self, text: str) -> Envelope | None:
        if text.startswith("{"):
            return self._journal_json(text)
        if text.startswith("<"):
            m = _RFC5424.match(text)
            if m is None:
                return None
            pid = m["pid"] if m["pid"] != "-" else None
            return Envelope(self.stamps.iso(m["stamp"]), m["host"], m["prog"], pid, m["msg"])
        fast = self._bsd_fast(text)
        if fast is not None:
            return fast
        m = _BSD.match(text)
        if m is None:
            return None
        stamp = m["stamp"]
        at = self.stamps.iso(stamp) if stamp[0].isdigit() else self.stamps.syslog(stamp)
        message = m["msg"]
        if message.startswith("[ID "):
            message = _SOLARIS.sub("", message, count=1)
        return Envelope(at, m["host"], m["prog"], m["pid"], message)

    def _bsd_fast(self, text: str) -> Envelope | None:
        """``Mmm dd HH:MM:SS host prog[pid]: message`` in one match (:data:`BSD_FAST`); None
        for anything else, which the general regular expression then reads."""
        m = BSD_FAST.match(text)
        if m is None:
            return None
        stamp, host, program, pid, message = m.groups()
        at = self.stamps.syslog(stamp)
        if at is None or not pid.isdigit():
            return None
        return Envelope(at, host, program, pid, message)

    def _journal_json(self, text: str) -> Envelope | None:
        try:
            record = json.loads(text)
        except ValueError:
            return None
        if not isinstance(record, dict) or not isinstance(record.get("MESSAGE"), str):
            return None
        at = None
        micros = record.get("__REALTIME_TIMESTAMP")
        if isinstance(micros, str) and micros.isdigit():
            at = datetime.fromtimestamp(int(micros) / 1e6, UTC)
        return Envelope(
            at,
            record.get("_HOSTNAME"),
            str(record.get("SYSLOG_IDENTIFIER") or record.get("_COMM") or ""),
            record.get("_PID") or record.get("SYSLOG_PID"),
            record["MESSAGE"],
        )
