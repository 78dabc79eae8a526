"""The secret a keyed operator uses (a key of the ring, named by id or the active one) and a
fast HMAC-SHA256 over it: the keyed state is computed once and copied per message, and a
vectorised HMAC-SHA256 over whole columns (SHA-256 in Polars, RFC 2104 padding here)."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import polars as pl
import polars_hash as plh
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

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


_B32 = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", dtype=np.uint8)
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
# Two hex characters read as one little-endian uint16 -> the byte they spell.
_HEX_PAIR = np.zeros(1 << 16, dtype=np.uint8)
_HEX_PAIR[(_HEX[None, :].astype(np.uint16) << 8 | _HEX[:, None]).ravel()] = np.arange(
    256, dtype=np.uint8
)


def _key_blocks(secret: bytes) -> tuple[np.ndarray, np.ndarray]:
    """HMAC's inner and outer padded key blocks (RFC 2104) for SHA-256's 64-byte block."""
    key = np.frombuffer(
        (hashlib.sha256(secret).digest() if len(secret) > 64 else secret).ljust(64, b"\0"),
        dtype=np.uint8,
    )
    return key ^ 0x36, key ^ 0x5C


def _sha256_rows(messages: pa.Array) -> np.ndarray:
    """SHA-256 of every (non-null) binary message, as an ``(n, 32)`` byte matrix."""
    frame = pl.DataFrame({"m": pl.Series(messages)})
    hexed = frame.select(plh.col("m").chash.sha2_256())["m"].to_arrow().cast(pa.large_string())
    text = np.frombuffer(hexed.buffers()[2], dtype=np.uint8)
    start = int(np.frombuffer(hexed.buffers()[1], dtype=np.int64)[hexed.offset])
    pairs = text[start : start + 64 * len(hexed)].view("<u2")
    rows: np.ndarray = _HEX_PAIR[pairs].reshape(-1, 32)
    return rows


def _fixed_rows(rows: np.ndarray) -> pa.Array:
    """An Arrow binary array whose values are the rows of a byte matrix."""
    n, width = rows.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    data = np.ascontiguousarray(rows)
    return pa.Array.from_buffers(
        pa.large_binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def hmac_sha256_rows(secret: bytes, messages: pl.Series) -> np.ndarray:
    """HMAC-SHA256 of every value of a binary column without nulls, as an ``(n, 32)`` matrix.

    Vectorised (SHA-256 in Polars, the RFC 2104 construction here) and byte-identical to
    ``hmac.new(secret, m, "sha256").digest()``.
    """
    inner_pad, outer_pad = _key_blocks(secret)
    binary = pa.large_binary()
    inner_input = pc.binary_join_element_wise(
        pa.scalar(inner_pad.tobytes(), binary),
        messages.to_arrow().cast(binary),
        pa.scalar(b"", binary),
    )
    inner = _sha256_rows(inner_input)
    outer_input = np.concatenate([np.broadcast_to(outer_pad, (len(inner), 64)), inner], axis=1)
    return _sha256_rows(_fixed_rows(outer_input))


def base32_prefix(digests: np.ndarray, length: int) -> np.ndarray:
    """The first ``length`` base32 (RFC 4648) characters of each digest row, as ``S{length}``.

    Five bytes make eight characters: each 40-bit block is read as an integer and cut in
    5-bit groups.
    """
    blocks = -(-length // 8)
    padded = np.zeros((len(digests), 5 * blocks), dtype=np.uint64)
    width = min(5 * blocks, digests.shape[1])
    padded[:, :width] = digests[:, :width]
    weights = np.array([32, 24, 16, 8, 0], dtype=np.uint64)
    values = (padded.reshape(len(digests), blocks, 5) << weights).sum(axis=2, dtype=np.uint64)
    shifts = np.arange(35, -1, -5, dtype=np.uint64)
    groups = (values[:, :, None] >> shifts) & np.uint64(31)
    chars = _B32[groups.reshape(len(digests), 8 * blocks)[:, :length]]
    return np.ascontiguousarray(chars).view(f"S{length}").ravel()
