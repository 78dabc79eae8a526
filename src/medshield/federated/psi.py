"""Private set intersection cardinality by commutative Diffie-Hellman on X25519.

Each identifier is hashed to a curve point ``H(x)``; node A sends ``a·H(x)`` for its set, node B
answers ``b·(a·H(x))`` shuffled and ``b·H(y)`` for its own set; A computes ``a·(b·H(y))`` and
counts the matches. Shuffling hides which of A's patients matched, so A learns the cardinality
only, B learns the size of A's set, and the hub relaying both holds points it cannot open even
with a dictionary of every identifier: unlike keyed pseudonyms, no one key reverses them.
X25519 scalar multiplication commutes (clamped scalars multiply), and it accepts any 32 bytes
as a u-coordinate, on the curve or its twist; both have large prime-order subgroups.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from medshield.errors import ProtocolError

DOMAIN = b"medshield-psi-v1|"


def hash_to_point(identifier: str) -> bytes:
    return hashlib.sha512(DOMAIN + identifier.encode()).digest()[:32]


def multiply(key: X25519PrivateKey, point: bytes) -> bytes:
    try:
        return key.exchange(X25519PublicKey.from_public_bytes(point))
    except ValueError as exc:  # a low-order point: never from honest hashing
        raise ProtocolError(f"bad PSI point: {exc}") from None


def shuffled(points: Iterable[bytes]) -> list[str]:
    out = [p.hex() for p in points]
    secrets.SystemRandom().shuffle(out)
    return out


def blind(key: X25519PrivateKey, identifiers: Iterable[str]) -> list[str]:
    """``key·H(x)`` for each distinct identifier, shuffled."""
    return shuffled(multiply(key, hash_to_point(x)) for x in set(identifiers))


def reblind(key: X25519PrivateKey, points_hex: Iterable[str]) -> list[str]:
    """``key·P`` for each point received, shuffled."""
    return shuffled(multiply(key, _point(p)) for p in points_hex)


def cardinality(key: X25519PrivateKey, reblinded: Iterable[str], peer: Iterable[str]) -> int:
    """How many of the peer's points, blinded by ``key`` too, are among ours blinded twice."""
    ours = set(reblinded)
    return sum(multiply(key, _point(p)).hex() in ours for p in peer)


def _point(hex_value: str) -> bytes:
    try:
        raw = bytes.fromhex(hex_value)
    except ValueError:
        raise ProtocolError("a PSI point is not hex") from None
    if len(raw) != 32:
        raise ProtocolError("a PSI point is not 32 bytes")
    return raw
