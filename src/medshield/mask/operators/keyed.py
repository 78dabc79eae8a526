"""The secret a keyed operator uses: a key of the ring, named by id or the active one."""

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


def keyed_int(secret: bytes, *parts: str) -> int:
    """A keyed 256-bit integer of ``parts`` (HMAC-SHA256, parts separated unambiguously)."""
    message = "\x1f".join(parts).encode("utf-8")
    return int.from_bytes(hmac.new(secret, message, hashlib.sha256).digest(), "big")
