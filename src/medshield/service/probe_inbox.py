"""The probe inbox: consent codes of the probe-only patient, kept for the canary token that asked.

A synthetic probe of a consent API must obtain a code like any caller, but no phone receives the
probe patient's SMS. When a canary token (an application registered only for probes) asks for
consent about the configured probe patient, the code's message is kept here, under that token,
instead of being sent; ``GET /probe/inbox`` with the same token takes it, once. Every other
request (a real token, or a canary token about any other patient) is sent by SMS as always.
"""

from __future__ import annotations

import hmac
from typing import ClassVar

from medshield.errors import NotCanaryError
from medshield.service.state import SharedState
from medshield.service.tokens import TokenInfo

PROBE_APPLICATION = "probe"  # the application of canary tokens


class _InboxSender:
    name: ClassVar[str] = "probe-inbox"

    def __init__(self, state: SharedState, key: str, ttl: float) -> None:
        self.state, self.key, self.ttl = state, key, ttl

    def send(self, phone: str, message: str) -> None:
        self.state.put(self.key, message, self.ttl)


class ProbeInbox:
    def __init__(self, state: SharedState, patient: str, ttl: float) -> None:
        self.state, self.patient, self.ttl = state, patient, ttl

    def takes(self, token: TokenInfo, patient: str | None) -> bool:
        """Whether this consent request's code goes to the inbox rather than by SMS."""
        return (
            token.application == PROBE_APPLICATION
            and patient is not None
            and hmac.compare_digest(patient.encode(), self.patient.encode())
        )

    def sender(self, token: TokenInfo) -> _InboxSender:
        return _InboxSender(self.state, self._key(token), self.ttl)

    def take(self, token: TokenInfo) -> str | None:
        """The newest message for ``token`` (once), or None; MS983 for a non-canary token."""
        if token.application != PROBE_APPLICATION:
            raise NotCanaryError("the probe inbox is for canary tokens only", where="token")
        return self.state.take(self._key(token))

    @staticmethod
    def _key(token: TokenInfo) -> str:
        return f"probe-inbox:{token.token_id}"
