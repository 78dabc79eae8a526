"""sshd and PAM messages of the auth log (syslog or journal): logins, failures and probes.

Each message becomes a ``login`` (success or failure), a ``connect`` (a probe or an aborted
handshake: failure; a plain connection: info) or a ``logout``. Lines that carry no address
(``Disconnecting: Too many authentication failures``) take it from the earlier line of the same
sshd process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import lru_cache
from typing import Any, ClassVar

from pydantic import BaseModel

from medshield.audit.sources.base import (
    BadLine,
    Kind,
    Line,
    LogEvent,
    Outcome,
    decode,
    text_of,
    unknown,
)
from medshield.audit.sources.syslog import BSD_FAST, EnvelopeReader

_PORT = r"(?: port \d+)?(?: on \S+ port \d+)?(?: rdomain \S*)?"
_TAIL = r"(?: ssh\d)?(?:: .*| \[preauth\])?\s*$"
_FROM = r" from (?P<host>\S+?)" + _PORT
_USER = r"(?:(?:invalid|illegal) user |authenticating user )?(?P<user>.*?)"

# (message start, pattern, kind, outcome, user when the message names none, effect). Effects:
# "defer": a failure when the address is known, else remembered for the process until a later
# "settle" line of it names the address; "settle": a failure only after a deferred one.
Rule = tuple[str, re.Pattern[str], Kind, Outcome, str | None, str | None]
_SPEC: tuple[tuple[str, str, Kind, Outcome, str | None, str | None], ...] = (
    (
        "Failed publickey",
        r"Failed (?P<method>publickey) for (?!invalid user |illegal user )(?P<user>\S+)"
        + _FROM
        + _TAIL,
        "login",
        "info",
        None,
        None,
    ),
    (
        "Failed ",
        r"Failed (?P<method>\S+) for " + _USER + _FROM + _TAIL,
        "login",
        "failure",
        None,
        None,
    ),
    (
        "Accepted ",
        r"Accepted (?P<method>\S+) for (?P<user>\S+)" + _FROM + _TAIL,
        "login",
        "success",
        None,
        None,
    ),
    (
        "Invalid user",
        r"Invalid user (?P<user>.*?)" + _FROM + r"\s*$",
        "login",
        "failure",
        None,
        None,
    ),
    (
        "Illegal user",
        r"Illegal user (?P<user>.*?)" + _FROM + r"\s*$",
        "login",
        "failure",
        None,
        None,
    ),
    (
        "User ",
        r"User (?P<user>\S+)" + _FROM + r" not allowed because",
        "login",
        "failure",
        None,
        None,
    ),
    ("User ", r"User (?P<user>\S+) not allowed because", "login", "info", None, "defer"),
    (
        "ROOT LOGIN REFUSED",
        r"ROOT LOGIN REFUSED FROM (?P<host>\S+?)" + _PORT + _TAIL,
        "login",
        "failure",
        "root",
        None,
    ),
    (
        "error: PAM: ",
        r"error: PAM: (?:[Aa]uthentication (?:failure|error)|User not known to the underlying authentication module) for (?:(?:illegal|invalid) user )?(?P<user>.*?)"
        + _FROM
        + r"(?: via \S+)?\s*$",
        "login",
        "failure",
        None,
        None,
    ),
    (
        "PAM: ",
        r"PAM: [Aa]uthentication (?:failure|error) for (?:(?:illegal|invalid) user )?(?P<user>.*?)"
        + _FROM
        + r"(?: via \S+)?\s*$",
        "login",
        "failure",
        None,
        None,
    ),
    (
        "pam_unix(sshd:auth): authentication failure",
        r"pam_unix\(sshd:auth\): authentication failure;.*? rhost=(?P<host>\S+)(?:\s+user=(?P<user>\S+))?",
        "login",
        "failure",
        None,
        None,
    ),
    (
        "error: maximum authentication attempts exceeded",
        r"error: maximum authentication attempts exceeded for " + _USER + _FROM + _TAIL,
        "login",
        "failure",
        None,
        None,
    ),
    (
        "Disconnecting: Too many authentication failures",
        r"Disconnecting: Too many authentication failures(?: for (?P<user>\S+))?",
        "login",
        "info",
        None,
        "defer",
    ),
    (
        "Disconnecting ",
        r"Disconnecting (?:invalid|authenticating) user (?P<user>\S+) (?P<host>\S+) port \d+: Change of username",
        "login",
        "failure",
        None,
        None,
    ),
    (
        "Disconnecting ",
        r"Disconnecting (?:invalid|authenticating) user (?P<user>\S+) (?P<host>\S+) port \d+: ",
        "login",
        "info",
        None,
        None,
    ),
    (
        "refused connect",
        r"refused connect from \S+ \((?P<host>[^)]+)\)",
        "connect",
        "failure",
        None,
        None,
    ),
    (
        "Address ",
        r"Address (?P<host>\S+) maps to \S+, but this does not map back to the address",
        "connect",
        "info",
        None,
        None,
    ),
    (
        "reverse mapping",
        r"reverse mapping checking getaddrinfo for \S+ \[(?P<host>[^\]]+)\] failed",
        "connect",
        "info",
        None,
        None,
    ),
    (
        "Did not receive identification",
        r"Did not receive identification string from (?P<host>\S+?)" + _PORT + r"\s*$",
        "connect",
        "failure",
        None,
        None,
    ),
    (
        "Bad protocol version",
        r"Bad protocol version identification .*" + _FROM + r"\s*$",
        "connect",
        "failure",
        None,
        None,
    ),
    (
        "Unable to negotiate",
        r"Unable to negotiate with (?P<host>\S+?)" + _PORT + r": no matching",
        "connect",
        "failure",
        None,
        None,
    ),
    (
        "fatal: Unable to negotiate with",
        r"fatal: Unable to negotiate with (?P<host>\S+?)" + _PORT + r": no matching",
        "connect",
        "failure",
        None,
        None,
    ),
    (
        "fatal: Unable to negotiate a key",
        r"fatal: Unable to negotiate a key exchange method",
        "connect",
        "info",
        None,
        "defer",
    ),
    ("fatal: no matching", r"fatal: no matching \w+ found", "connect", "info", None, "defer"),
    (
        "fatal: Read from socket failed",
        r"fatal: Read from socket failed: Connection reset by peer",
        "connect",
        "info",
        None,
        "defer",
    ),
    (
        "error: kex_exchange_identification",
        r"error: kex_exchange_identification: ",
        "connect",
        "info",
        None,
        "defer",
    ),
    (
        "fatal: Timeout before authentication",
        r"fatal: Timeout before authentication for (?P<host>\S+?)" + _PORT + r"\s*$",
        "connect",
        "failure",
        None,
        None,
    ),
    (
        "Timeout before authentication",
        r"Timeout before authentication for connection from (?P<host>\S+) to",
        "connect",
        "failure",
        None,
        None,
    ),
    (
        "banner exchange: ",
        r"banner exchange: Connection from (?P<host>\S+?)" + _PORT + r": invalid format",
        "connect",
        "failure",
        None,
        None,
    ),
    (
        "ssh_dispatch_run_fatal: ",
        r"ssh_dispatch_run_fatal: Connection from (?P<host>\S+?)" + _PORT + r": ",
        "connect",
        "failure",
        None,
        None,
    ),
    (
        "error: Received disconnect",
        r"error: Received disconnect from (?P<host>\S+?)"
        + _PORT
        + r": ?(?:3|14): (?:.*Auth fail|No (?:supported )?authentication methods)",
        "login",
        "failure",
        None,
        None,
    ),
    (
        "Received disconnect",
        r"Received disconnect from (?P<host>\S+?)"
        + _PORT
        + r": ?(?:3|14): (?:.*Auth fail|No (?:supported )?authentication methods)",
        "login",
        "failure",
        None,
        None,
    ),
    (
        "error: Received disconnect",
        r"error: Received disconnect from (?P<host>\S+?)" + _PORT + r": ?\d+: ",
        "connect",
        "info",
        None,
        "settle",
    ),
    (
        "Received disconnect",
        r"Received disconnect from (?P<host>\S+?)" + _PORT + r": ?\d+: ",
        "connect",
        "info",
        None,
        "settle",
    ),
    (
        "Disconnected from authenticating user",
        r"Disconnected from authenticating user (?P<user>\S+) (?P<host>\S+) port \d+ \[preauth\]",
        "login",
        "failure",
        None,
        None,
    ),
    (
        "Disconnected from ",
        r"Disconnected from (?P<host>\S+?)" + _PORT + r" \[preauth\]",
        "connect",
        "failure",
        None,
        None,
    ),
    (
        "Connection closed by authenticating user",
        r"Connection closed by authenticating user (?P<user>.*?) (?P<host>\S+) port \d+ \[preauth\]",
        "login",
        "failure",
        None,
        None,
    ),
    (
        "Connection reset by authenticating user",
        r"Connection reset by authenticating user (?P<user>.*?) (?P<host>\S+) port \d+ \[preauth\]",
        "login",
        "failure",
        None,
        None,
    ),
    (
        "Connection closed by invalid user",
        r"Connection closed by invalid user (?P<user>.*?) (?P<host>\S+) port \d+",
        "login",
        "failure",
        None,
        None,
    ),
    (
        "Connection ",
        r"Connection (?:closed|reset) by (?P<host>\S+?)" + _PORT + r" \[preauth\]",
        "connect",
        "failure",
        None,
        None,
    ),
    (
        "Connection ",
        r"Connection (?:closed|reset) by (?P<host>\S+?)" + _PORT + r"\s*$",
        "logout",
        "info",
        None,
        "settle",
    ),
    (
        "Connection from ",
        r"Connection from (?P<host>\S+?)" + _PORT + r"\s*$",
        "connect",
        "info",
        None,
        None,
    ),
    (
        "SSH: Server;Ltype:",
        r"SSH: Server;Ltype: \w+;Remote: (?P<host>[^;]+?)-\d+;",
        "connect",
        "info",
        None,
        None,
    ),
    (
        "pam_unix(sshd:session): session opened",
        r"pam_unix\(sshd:session\): session opened for user (?P<user>\S+)",
        "login",
        "info",
        None,
        None,
    ),
    (
        "pam_unix(sshd:session): session closed",
        r"pam_unix\(sshd:session\): session closed for user (?P<user>\S+)",
        "logout",
        "info",
        None,
        None,
    ),
)
_GROUPS = ("method", "user", "host")  # what a message gives, read by one ``Match.group`` call


def _compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` with each of :data:`_GROUPS`: one it lacks is added, never matched (None)."""
    return re.compile(
        pattern + "".join(f"(?P<{g}>){{0}}" for g in _GROUPS if f"<{g}>" not in pattern)
    )


_RULES: tuple[Rule, ...] = tuple(
    (start, _compiled(pattern), kind, outcome, user, effect)
    for start, pattern, kind, outcome, user, effect in _SPEC
)
# The rules by the first word of their message: a line is tried against a few rules, not all.
_BY_WORD: dict[str, tuple[Rule, ...]] = {}
for _rule in _RULES:
    _word = _rule[0].split(" ", 1)[0]
    _BY_WORD[_word] = (*_BY_WORD.get(_word, ()), _rule)
_PROGRAMS = frozenset({"sshd", "sshd-session", "sshd-auth"})


def _only(start: str) -> Rule:
    (rule,) = [r for r in _RULES if r[0] == start]
    return rule


# Fast lanes: the commonest messages in their plain form, read by a tight expression (no lazy
# parts to backtrack over). Where a lane matches, its rule's expression matches with the same
# groups (a user without spaces ends at the first " from "; a host without a trailing colon is
# the whole word before " port"); anything else goes through the rules above.
_FAST: dict[str, tuple[re.Pattern[str], Rule]] = {
    "Failed": (
        _compiled(
            r"Failed (?P<method>(?!publickey )\S+) for (?:(?:invalid|illegal) user |authenticating"
            r" user )?(?P<user>\S+) from (?P<host>\S*[^\s:]) port \d+ ssh\d$"
        ),
        _only("Failed "),
    ),
    "Invalid": (
        _compiled(r"Invalid user (?P<user>\S+) from (?P<host>\S+)(?: port \d+)?$"),
        _only("Invalid user"),
    ),
    "pam_unix(sshd:auth):": (  # the usual fields before rhost: no lazy search for it
        _compiled(
            r"pam_unix\(sshd:auth\): authentication failure; logname=\S* uid=\d+ euid=\d+ tty=\S*"
            r" ruser=\S* rhost=(?P<host>\S+)(?:\s+user=(?P<user>\S+))?"
        ),
        _only("pam_unix(sshd:auth): authentication failure"),
    ),
    "Received": (  # codes 3 and 14 may be an authentication failure: the rules decide those
        _compiled(r"Received disconnect from (?P<host>[\d.]+)(?: port \d+)?: ?(?!(?:3|14): )\d+: "),
        next(r for r in _RULES if r[0] == "Received disconnect" and r[5] == "settle"),
    ),
}
_KEPT_PIDS = 4096  # connections whose address a restarted follower remembers
# PAM's failure line and sshd's ``Failed ...`` line report one attempt: it is counted once.
_PAM_AUTH = _only("pam_unix(sshd:auth): authentication failure")[0]


class SshdSource:
    """sshd's auth log lines; other programs' lines are passed over without a record."""

    name: ClassVar[str] = "sshd"

    class Params(BaseModel):
        model_config = {"extra": "forbid"}
        year: int | None = None  # the year of syslog stamps, which carry none

    def __init__(self, params: Params | None = None, *, where: str = "sshd log") -> None:
        self.envelopes = EnvelopeReader((params or self.Params()).year)
        self.where = where
        self._pid_host: dict[str, str] = {}
        self._deferred: set[str] = set()
        self._pam: dict[str, int] = {}

    def events(self, lines: Iterable[Line]) -> Iterator[LogEvent | BadLine]:
        where, envelope, message_of = self.where, self.envelopes.read, self._message
        syslog, seen = self.envelopes.stamps.syslog, self.envelopes.stamps.seen.get
        for line in lines:
            text = text_of(line[3])
            if text is None:
                yield decode(line, where)  # type: ignore[misc]  # the BadLine of a binary line
                continue
            m = BSD_FAST.match(text)  # EnvelopeReader._bsd_fast, inline: the hot path
            if m is not None:
                stamp, server, program, pid, message = m.groups()
                at = seen(stamp) or syslog(stamp)
                if at is not None and pid.isdigit():
                    if program not in _PROGRAMS:
                        continue
                    event = message_of(message, pid, at, line, server)
                    if event is not None:
                        yield event
                    continue
            if not text.strip():
                continue
            env = envelope(text)
            if env is None:
                yield unknown(line, where, "syslog or journal")
                continue
            if env.program not in _PROGRAMS:
                continue
            event = message_of(env.message, env.pid, env.at, line, env.host)
            if event is not None:
                yield event

    def _message(
        self, message: str, pid: str | None, at: datetime | None, line: Line, server: str | None
    ) -> LogEvent | None:
        parsed = _parse(message)
        if parsed is None:
            return None
        (start, _, kind, outcome, user, effect), method, named, host = parsed
        detail: dict[str, Any] = {"server": server}
        if pid is not None:
            if host:
                pid_host = self._pid_host
                if len(pid_host) > 65536:  # bounded: memory stays flat while following
                    self._forget()
                pid_host[pid] = host
            if effect is not None:
                outcome = self._effect(pid, outcome, effect)
            if not host:
                host = self._pid_host.get(pid)
            if start == _PAM_AUTH:
                self._pam[pid] = self._pam.get(pid, 0) + 1
            elif start == "Failed " and outcome == "failure" and self._pam.get(pid):
                self._pam[pid] -= 1
                detail = {"repeat": True, "server": server}  # PAM logged this attempt
        return LogEvent(
            self.name, kind, outcome, at, named or user, host or None, None, method, None,
            None, None, pid, line[0], line[1], line[2], detail,
        )  # fmt: skip

    def state(self) -> dict[str, Any]:
        """What joins the lines of one connection (its pid's address, deferred and PAM
        failures), kept across a restart of a follower: the latest connections only."""
        hosts = dict(list(self._pid_host.items())[-_KEPT_PIDS:])
        pam = dict([(pid, n) for pid, n in self._pam.items() if n][-_KEPT_PIDS:])
        return {"hosts": hosts, "deferred": sorted(self._deferred)[:_KEPT_PIDS], "pam": pam}

    def restore(self, state: dict[str, Any]) -> None:
        self._pid_host = dict(state["hosts"])
        self._deferred = set(state["deferred"])
        self._pam = dict(state["pam"])

    def _effect(self, pid: str, outcome: Outcome, effect: str) -> Outcome:
        """A "defer" line is a failure once its process's address is known, else remembered;
        a "settle" line is a failure after a deferred one of its process."""
        if effect == "defer":
            if pid in self._pid_host:
                return "failure"
            self._deferred.add(pid)
        elif effect == "settle" and pid in self._deferred:
            self._deferred.discard(pid)
            return "failure"
        return outcome

    def _forget(self) -> None:
        self._pid_host.clear()
        self._deferred.clear()
        self._pam.clear()


Parsed = tuple[Rule, str | None, str | None, str | None]  # the rule, method, user and host


@lru_cache(maxsize=4096)
def _parse(message: str) -> Parsed | None:
    """The rule a message matches and what it names, None for a message of no rule: the
    message alone decides (what its connection adds is :meth:`SshdSource._message`'s).

    Cached: many messages come again word for word, those without a port above all (PAM's
    failure line, ``Received disconnect from ADDR: 11: Bye Bye``, ``input_userauth_request``);
    in the loghub OpenSSH log 64% of the messages repeat an earlier one."""
    word = message.partition(" ")[0]
    fast = _FAST.get(word)
    if fast is not None and (m := fast[0].match(message)) is not None:
        rule = fast[1]
    else:
        for rule in _BY_WORD.get(word, ()):
            if message.startswith(rule[0]) and (m := rule[1].match(message)) is not None:
                break
        else:
            return None
    method, user, host = m.group(*_GROUPS)
    if host and host.startswith("::ffff:"):
        host = normal_host(host)
    return rule, method, user, host


def normal_host(host: str | None) -> str | None:
    """An address as detectors compare it: ``::ffff:1.2.3.4`` is ``1.2.3.4``."""
    if not host:
        return None
    if host.startswith("::ffff:") and "." in host:
        return host[7:]
    return host
