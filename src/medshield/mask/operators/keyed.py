"""The secret a keyed operator uses (a key of the ring, named by id or the active one) and a
fast HMAC-SHA256 over it: the keyed state is computed once and copied per message."""

from __future__ import annotations

import hashlib
import hmac

from medshield.errors import MaskingError
from medshield.mask.operators.base import MaskContext


def ring_key(context: MaskContext, key_id: str | None, operator: str) -> tuple[str, bytes]:
    """``(key id, secret)`` of ``key_id`` (the active key when None); fails closed."""
    chosen = key_id or context.active_key
    if chosen is None or chosen not in context.keys:
        raise MaskingError(
            f"{operator} needs a key: {chosen!r} is not in the key ring", where="keys"
        )
    return chosen, context.keys[chosen]


class KeyedHash:
    """HMAC-SHA256 under one secret."""

    def __init__(self, secret: bytes) -> None:
        self._base = hmac.new(secret, digestmod=hashlib.sha256)

    def digest(self, message: bytes) -> bytes:
        h = self._base.copy()
        h.update(message)
        return h.digest()

    def integer(self, *parts: str) -> int:
        """A keyed 256-bit integer of ``parts`` (separated unambiguously)."""
        return int.from_bytes(self.digest("\x1f".join(parts).encode("utf-8")), "big")
