"""Repeated login failures: from one address, or against one account from several addresses.

A finding is raised when a key's failures in the sliding window reach the policy's count, and
once per episode: the episode (first and last failure, accounts tried, count) goes on until
the key has been quiet for a window. ``episodes()`` gives them all, for reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

from medshield.audit.detectors.base import (
    DetectorContext,
    Finding,
    State,
    finding,
    moment,
    stamp,
)
from medshield.audit.detectors.windows import SlidingCounts
from medshield.audit.sources.base import LogEvent

_MAX_NAMES = 50
_SWEEP = 4096  # open episodes before the quiet ones are looked for


@dataclass(slots=True)
class Episode:
    key: str
    first: datetime | None
    last: datetime | None
    failures: int = 0
    accounts: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    raised: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "from": self.first.isoformat() if self.first else None,
            "to": self.last.isoformat() if self.last else None,
            "failures": self.failures,
            "accounts": sorted(self.accounts),
            "addresses": sorted(self.addresses),
        }


class LoginFailureDetector:
    name: ClassVar[str] = "login_failures"
    kinds: ClassVar[frozenset[str]] = frozenset({"login", "connect"})  # the events it looks at
    outcomes: ClassVar[frozenset[str]] = frozenset({"failure"})

    def __init__(self, ctx: DetectorContext) -> None:
        self.policy = ctx.policy.login_failures
        self.by_ip = SlidingCounts(self.policy.window_seconds)
        self.by_account = SlidingCounts(self.policy.window_seconds)
        self._quiet = timedelta(seconds=self.policy.window_seconds)  # an episode ends after
        self._episodes: dict[str, Episode] = {}
        self._closed: list[Episode] = []
        self._sweep_at = _SWEEP  # the number of open episodes at which the quiet are closed
        self._now: datetime | None = None  # the time of the last failure

    def state(self) -> State:
        """The windows, and the episodes a next failure may still join (raised or not): those
        within a window of the last failure, or ahead of it (time went back)."""
        now = self._now or max((e.last for e in self._episodes.values() if e.last), default=None)
        cut = now - self._quiet if now else None
        live = [
            e for e in self._episodes.values() if e.last is None or cut is None or e.last >= cut
        ]
        return {
            "by_ip": self.by_ip.state(),
            "by_account": self.by_account.state(),
            "episodes": [
                [e.key, stamp(e.first), stamp(e.last), e.failures, sorted(e.accounts),
                 sorted(e.addresses), e.raised]
                for e in live
            ],
        }  # fmt: skip

    def restore(self, state: State) -> None:
        self.by_ip.restore(state["by_ip"])
        self.by_account.restore(state["by_account"])
        self._episodes = {
            key: Episode(key, moment(first), moment(last), n, set(acc), set(addr), raised)
            for key, first, last, n, acc, addr, raised in state["episodes"]
        }

    def observe(self, event: LogEvent) -> list[Finding]:
        if event.outcome != "failure" or event.kind not in ("login", "connect"):
            return []
        if event.detail.get("repeat"):
            return []  # the same attempt, logged twice
        found: list[Finding] = []
        host, user = event.host, event.user
        if host:
            count = self.by_ip.add(host, event.at)
            episode = self._episode(f"ip:{host}", event)
            if count >= self.policy.per_ip and not episode.raised:
                episode.raised = True
                found.append(self._finding(event, episode, "per_ip", count))
        if user and event.kind == "login":
            count = self.by_account.add(user, event.at)
            episode = self._episode(f"user:{user}", event)
            distributed = len(episode.addresses) > 1
            if count >= self.policy.per_account and distributed and not episode.raised:
                episode.raised = True
                found.append(self._finding(event, episode, "per_account", count))
        return found

    def _episode(self, key: str, event: LogEvent) -> Episode:
        episode = self._episodes.get(key)
        at = self._now = event.at
        if episode is None:
            if len(self._episodes) >= self._sweep_at:
                self._sweep(at)
            episode = self._episodes[key] = Episode(key, at, at)
        elif at is not episode.last and at:  # the lines of one second share their time
            last = episode.last
            if last and abs(at - last) > self._quiet:  # quiet for a window, or an older log
                self._close(key)
                episode = self._episodes[key] = Episode(key, at, at)
            elif last is None or at > last:
                episode.last = at
        episode.failures += 1
        user, host = event.user, event.host
        if user and len(episode.accounts) < _MAX_NAMES:
            episode.accounts.add(user)
        if host and len(episode.addresses) < _MAX_NAMES:
            episode.addresses.add(host)
        return episode

    def _sweep(self, at: datetime | None) -> None:
        """Close the episodes quiet for a window at ``at`` (each address of a long follow
        would stay open until it came back, if ever)."""
        if at is not None:
            quiet = self._quiet
            for key in [
                k for k, e in self._episodes.items() if e.last and abs(at - e.last) > quiet
            ]:
                self._close(key)
        self._sweep_at = max(_SWEEP, 2 * len(self._episodes))

    def _close(self, key: str) -> None:
        episode = self._episodes.pop(key)
        if episode.raised:
            self._closed.append(episode)

    def _finding(self, event: LogEvent, episode: Episode, scope: str, count: int) -> Finding:
        reason = (
            f"{count} 次登录失败 / failures from {event.host} within {self.policy.window_seconds}s"
            if scope == "per_ip"
            else f"{count} 次登录失败 / failures against {event.user} from "
            f"{len(episode.addresses)} addresses"
        )
        return finding(
            self.name,
            "alert.login_failures",
            "high",
            event,
            (reason,),
            scope=scope,
            failures=count,
            since=episode.first.isoformat() if episode.first else None,
            accounts=sorted(episode.accounts),
        )

    def episodes(self) -> list[Episode]:
        """Every episode that raised a finding, closed or still going."""
        return self._closed + [e for e in self._episodes.values() if e.raised]
