"""Anomaly alerts of the gateway (R24): a valid token whose allowed calls are unusual.

- ``patient_enumeration``: the token touched more distinct patients in a window than
  ``audit.gateway.max_patients`` (patients are counted by keyed pseudonym, never by ID);
- ``off_hours``: a call outside the working hours of ``audit.logs.remote_access``;
- ``new_address``: a second distinct source address of the token within
  ``audit.gateway.address_window_seconds`` (its first address is not an anomaly).

Each kind alerts once per token and window. The counts live in the gateway's ``SharedState``,
so processes sharing Redis see the same ones. An ordinary call costs one read of that state
(the patient's and the address's markers together); the working-hours verdict is kept for a
minute.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from medshield.policy.apis import GatewayAnomalies
from medshield.policy.audit_logs import RemoteAccessPolicy
from medshield.service.state import SharedState


@dataclass(frozen=True)
class Anomaly:
    kind: str
    why: str


@dataclass
class AnomalyWatch:
    """The anomaly checks of one gateway process, over state shared with the others."""

    state: SharedState
    policy: GatewayAnomalies
    hours: RemoteAccessPolicy
    _off: bool = field(init=False, default=False)
    _off_until: float = field(init=False, default=0.0)

    def observe(
        self, token_id: str, address: str | None, patient: str | None, now: float | None = None
    ) -> list[Anomaly]:
        """The anomalies of one allowed call of ``token_id`` (usually none). ``patient`` is the
        keyed pseudonym of the call's patient (None: a call about no one patient)."""
        now = time.time() if now is None else now
        found: list[Anomaly] = []
        policy = self.policy
        window = int(now // policy.window_seconds)
        seen_key = f"anomaly:patient:{token_id}:{window}:{patient}"
        last_key = f"anomaly:address:{token_id}"
        seen, last = (
            self.state.get_many([seen_key, last_key])  # one round trip on the ordinary path
            if patient is not None or address is not None
            else (None, None)
        )
        if patient is not None and seen is None:
            self.state.put(seen_key, "1", policy.window_seconds)
            count = self.state.incr(f"anomaly:patients:{token_id}:{window}", policy.window_seconds)
            if count > policy.max_patients and self._first("patient_enumeration", token_id):
                found.append(Anomaly(
                    "patient_enumeration",
                    f"一个窗口内访问 {count} 名患者，超过 {policy.max_patients} / "
                    f"{count} distinct patients in {policy.window_seconds} s, over "
                    f"{policy.max_patients}",
                ))  # fmt: skip
        if policy.off_hours and self._off_hours(now) and self._first("off_hours", token_id):
            start, end = self.hours.working_hours
            found.append(Anomaly(
                "off_hours",
                f"非工作时间调用（{start}:00-{end}:00） / a call outside working hours "
                f"({start}:00-{end}:00, {self.hours.timezone})",
            ))  # fmt: skip
        if address is not None and last != address:
            self.state.put(last_key, address, policy.address_window_seconds)
            if last is not None and self._first("new_address", token_id):
                found.append(Anomaly(
                    "new_address",
                    f"令牌在 {policy.address_window_seconds} 秒内换用新来源地址 / the token came "
                    f"from a second address within {policy.address_window_seconds} s",
                ))  # fmt: skip
        return found

    def _first(self, kind: str, token_id: str) -> bool:
        """True for the first alert of ``kind`` for the token in a window (de-duplication)."""
        ttl = (
            self.policy.address_window_seconds
            if kind == "new_address"
            else self.policy.window_seconds
        )
        return self.state.incr(f"anomaly:alerted:{kind}:{token_id}", ttl) == 1

    def _off_hours(self, now: float) -> bool:
        if now >= self._off_until or now < self._off_until - 60:
            self._off = self.hours.off_hours(datetime.fromtimestamp(now, UTC))
            self._off_until = now - now % 60 + 60  # the verdict holds to the end of the minute
        return self._off
