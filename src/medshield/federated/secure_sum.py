"""Secure aggregation by pairwise additive masks over a prime field.

Every pair of nodes (i, j) shares a secret from X25519 key agreement between their masking keys;
for each query it is expanded (HKDF, then ChaCha20) into a mask vector ``m_ij`` over the field
of ``PRIME``. Node i sends ``v_i + sum_{j>i} m_ij - sum_{j<i} m_ji``: each share looks uniformly
random to whoever lacks i's private key, and the masks cancel only in the sum over all nodes.
The query context (id, template, parameters, participants) enters the key derivation, so
replaying a query id with another template gives unrelated masks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from medshield.errors import ProtocolError

PRIME = 2**127 - 1  # a Mersenne prime: far above any count or fixed-point sum
_CHUNK = 24  # bytes drawn per field element: bias below 2**-64


def encode(values: Sequence[int]) -> list[int]:
    """Signed integers as field elements."""
    return [v % PRIME for v in values]


def decode(values: Sequence[int]) -> list[int]:
    """Field elements back to signed integers (the upper half of the field is negative)."""
    return [v - PRIME if v > PRIME // 2 else v for v in values]


def context_digest(parts: Mapping[str, object]) -> bytes:
    text = "|".join(f"{k}={parts[k]}" for k in sorted(parts))
    return hashlib.sha256(text.encode()).digest()


def pair_mask(
    own: X25519PrivateKey, peer_public_hex: str, context: bytes, length: int
) -> list[int]:
    """The mask vector node ``own`` shares with the peer, for one query context."""
    try:
        peer = X25519PublicKey.from_public_bytes(bytes.fromhex(peer_public_hex))
        secret = own.exchange(peer)
    except ValueError as exc:
        raise ProtocolError(f"bad masking key of a peer: {exc}") from None
    key = HKDF(hashes.SHA256(), 32, salt=None, info=b"medshield-fed-mask|" + context).derive(secret)
    stream = Cipher(algorithms.ChaCha20(key, b"\0" * 16), None).encryptor()
    raw = stream.update(b"\0" * (_CHUNK * length))
    return [
        int.from_bytes(raw[k * _CHUNK : (k + 1) * _CHUNK], "big") % PRIME for k in range(length)
    ]


def masked_share(
    values: Sequence[int],
    own_id: str,
    own_key: X25519PrivateKey,
    peers: Mapping[str, str],
    context: bytes,
) -> list[int]:
    """``values`` plus the masks shared with every peer (id -> public key hex), signed by order."""
    share = encode(values)
    for peer_id, public in sorted(peers.items()):
        if peer_id == own_id:
            continue
        mask = pair_mask(own_key, public, context, len(values))
        sign = 1 if own_id < peer_id else -1
        share = [(s + sign * m) % PRIME for s, m in zip(share, mask, strict=True)]
    return share


def combine(shares: Sequence[Sequence[int]]) -> list[int]:
    """The sum of the nodes' values, from the masked shares of all of them."""
    if not shares or len({len(s) for s in shares}) != 1:
        raise ProtocolError("shares of different lengths cannot be combined")
    total = [0] * len(shares[0])
    for share in shares:
        if any(not 0 <= v < PRIME for v in share):
            raise ProtocolError("a share holds a value outside the field")
        total = [(t + v) % PRIME for t, v in zip(total, share, strict=True)]
    return decode(total)


def public_hex(key: X25519PrivateKey) -> str:
    return key.public_key().public_bytes_raw().hex()
