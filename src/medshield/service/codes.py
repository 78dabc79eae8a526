"""One-time SMS codes bound to what they authorise (R21, R34).

A code is six digits, short-lived, single use and attempt-limited. It is bound to a set of
values (institution, purpose, data class, request hash, patient); redeeming it for anything else
fails, and so does a second use. Only the code's hash is kept in the shared state.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping

from medshield.errors import ConsentCodeError
from medshield.service.sms import SmsSender
from medshield.service.state import SharedState


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class OneTimeCodes:
    def __init__(
        self, state: SharedState, sms: SmsSender, *, prefix: str, ttl: float, attempts: int
    ) -> None:
        self.state, self.sms, self.prefix = state, sms, prefix
        self.ttl, self.attempts = ttl, attempts

    def send(
        self, phone: str, message: str, binding: Mapping[str, str], *, sms: SmsSender | None = None
    ) -> str:
        """Send a fresh code (``message`` holds ``{code}``), by ``sms`` when given (the probe
        inbox); the id to redeem it with."""
        code = f"{secrets.randbelow(1_000_000):06d}"
        code_id = secrets.token_urlsafe(16)
        record = {"code": digest(f"{code_id}:{code}"), "binding": dict(binding)}
        self.state.put(f"{self.prefix}:{code_id}", json.dumps(record), self.ttl)
        (sms or self.sms).send(
            phone, message.format(code=code, minutes=max(1, int(self.ttl // 60)))
        )
        return code_id

    def redeem(self, code_id: str, code: str, binding: Mapping[str, str]) -> None:
        """Use the code once for exactly ``binding``; ``ConsentCodeError`` otherwise."""
        key = f"{self.prefix}:{code_id}"
        raw = self.state.get(key)
        if raw is None:
            raise ConsentCodeError("the code is unknown, used or expired", where="code")
        record = json.loads(raw)
        tries = self.state.incr(f"{key}:tries", self.ttl)
        if tries > self.attempts:
            self.state.take(key)
            raise ConsentCodeError("too many attempts; ask for a new code", where="code")
        if not hmac.compare_digest(record["code"], digest(f"{code_id}:{code}")):
            raise ConsentCodeError("the code is wrong", where="code")
        if record["binding"] != dict(binding):
            self.state.take(key)
            raise ConsentCodeError("the code was given for another request", where="code")
        if self.state.take(key) is None:  # another call used it in between
            raise ConsentCodeError("the code is unknown, used or expired", where="code")
