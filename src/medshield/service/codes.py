"""One-time SMS codes bound to what they authorise (R21, R34).

A code is six digits, short-lived, single use and attempt-limited. It is bound to a set of
values (institution, purpose, data class, request hash, patient); redeeming it for anything else
fails, and so does a second use. The shared state keeps neither the code nor the binding: only
their HMAC-SHA256 under the server's code secret (``MEDSHIELD_GATEWAY_CODE_SECRET``), so a copy
of the state (a Redis dump) cannot be searched through the million codes or the ID numbers, and
both are compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping

from medshield.errors import ConfigError, ConsentCodeError
from medshield.service.sms import SmsSender
from medshield.service.state import SharedState

MIN_SECRET_BYTES = 16


def digest(value: str) -> str:
    """Unkeyed SHA-256, for values that are themselves unguessable (session tokens)."""
    return hashlib.sha256(value.encode()).hexdigest()


def code_key(secret: str | bytes | None) -> bytes:
    """The code secret as a key; ``ConfigError`` when it is missing or too short (fail closed)."""
    key = secret.encode() if isinstance(secret, str) else secret
    if not key or len(key) < MIN_SECRET_BYTES:
        raise ConfigError(
            f"the gateway's code secret is missing or shorter than {MIN_SECRET_BYTES} bytes",
            where="MEDSHIELD_GATEWAY_CODE_SECRET",
        )
    return key


class OneTimeCodes:
    def __init__(
        self,
        state: SharedState,
        sms: SmsSender,
        *,
        secret: str | bytes | None,
        prefix: str,
        ttl: float,
        attempts: int,
    ) -> None:
        self.state, self.sms, self.prefix = state, sms, prefix
        self.ttl, self.attempts = ttl, attempts
        self._key = code_key(secret)

    def keyed(self, *parts: str) -> str:
        """HMAC-SHA256 of ``parts`` under the code secret, bound to this kind of code."""
        message = "\x1f".join((self.prefix, *parts)).encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def _bound(self, code_id: str, binding: Mapping[str, str]) -> str:
        return self.keyed(code_id, json.dumps(dict(binding), sort_keys=True, ensure_ascii=False))

    def send(
        self, phone: str, message: str, binding: Mapping[str, str], *, sms: SmsSender | None = None
    ) -> str:
        """Send a fresh code (``message`` holds ``{code}``), by ``sms`` when given (the probe
        inbox); the id to redeem it with."""
        code = f"{secrets.randbelow(1_000_000):06d}"
        code_id = secrets.token_urlsafe(16)
        record = {"code": self.keyed(code_id, code), "binding": self._bound(code_id, binding)}
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
        if not hmac.compare_digest(record["code"], self.keyed(code_id, code)):
            raise ConsentCodeError("the code is wrong", where="code")
        if not hmac.compare_digest(record["binding"], self._bound(code_id, binding)):
            self.state.take(key)
            raise ConsentCodeError("the code was given for another request", where="code")
        if self.state.take(key) is None:  # another call used it in between
            raise ConsentCodeError("the code is unknown, used or expired", where="code")
