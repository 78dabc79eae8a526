"""What every behaviour detector shares: its context (policy, trusted networks) and findings."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, ClassVar, Protocol
from zoneinfo import ZoneInfo

from medshield.audit.sources.base import LogEvent
from medshield.policy import PolicyBundle
from medshield.policy.audit_logs import LogAuditPolicy

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class DetectorContext:
    """The policy a detector reads: thresholds, and the networks that count as inside."""

    policy: LogAuditPolicy
    networks: tuple[Network, ...]
    zone: ZoneInfo
    local: tuple[Network, ...] = ()

    @classmethod
    def from_bundle(
        cls, bundle: PolicyBundle, logs: LogAuditPolicy | None = None
    ) -> DetectorContext:
        """The bundle's ``logs:`` policy (or ``logs``) with its institutions' networks."""
        logs = logs or bundle.audit.logs
        remote = logs.remote_access
        cidrs = [c for inst in bundle.institutions for c in inst.cidrs] + list(remote.trusted_cidrs)
        return cls(
            logs,
            tuple(ipaddress.ip_network(c) for c in cidrs),
            ZoneInfo(remote.timezone),
            tuple(ipaddress.ip_network(c) for c in remote.local_cidrs),
        )

    def is_local(self, host: str | None) -> bool:
        """A connection from the server itself (loopback, the socket): not a remote one."""
        return not host or host in ("localhost", "[local]") or _inside(host, self.local) is True

    def inside(self, host: str | None) -> bool | None:
        """True inside the trusted networks, False outside, None for a name (not an address)."""
        return _inside(host, self.networks) if host else None


@lru_cache(maxsize=65536)
def _inside(host: str, networks: tuple[Network, ...]) -> bool | None:
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None
    return any(address in net for net in networks)


@dataclass(slots=True)
class Finding:
    """One thing a detector found; ``action`` is the ledger action it is recorded under."""

    detector: str
    action: str  # alert.<detector>: outcome "alert", routed by notify, counted by reports
    severity: str  # low, medium, high, critical
    at: datetime | None
    host: str | None
    user: str | None
    source: str
    reasons: tuple[str, ...]
    evidence: dict[str, Any] = field(default_factory=dict)
    lines: tuple[int, int] = (0, 0)
    end: int = 0  # the file offset after the last line it rests on

    def as_row(self) -> dict[str, Any]:
        return {
            "record": "finding",
            "detector": self.detector,
            "action": self.action,
            "severity": self.severity,
            "at": self.at.isoformat() if self.at else None,
            "host": self.host,
            "user": self.user,
            "source": self.source,
            "reasons": list(self.reasons),
            "evidence": self.evidence,
            "lines": list(self.lines),
        }


def finding(
    detector: str,
    action: str,
    severity: str,
    event: LogEvent,
    reasons: tuple[str, ...],
    **evidence: Any,
) -> Finding:
    """A finding resting on ``event``."""
    return Finding(
        detector,
        action,
        severity,
        event.at,
        event.host,
        event.user,
        event.source,
        reasons,
        evidence,
        (event.line, event.line),
        event.end,
    )


def stamp(at: datetime | None) -> float | None:
    """A time as detector state keeps it (seconds since the epoch)."""
    return at.timestamp() if at else None


def moment(value: float | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


State = dict[str, Any]  # what a detector keeps across runs (JSON: numbers, strings, lists)


class Detector(Protocol):
    name: ClassVar[str]
    kinds: ClassVar[frozenset[str]]  # the event kinds it observes (the pipeline passes no other)
    # Optional: ``outcomes``, the outcomes it observes (the pipeline passes no other; all when
    # not given).

    def __init__(self, ctx: DetectorContext) -> None: ...

    def observe(self, event: LogEvent) -> list[Finding]: ...

    # Optional: ``state() -> State`` and ``restore(State)``, the windows, counters and baselines
    # a follower keeps across a restart (see LogAudit.state); ``flush() -> list[Finding]``.
