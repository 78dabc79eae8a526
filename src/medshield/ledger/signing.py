"""Signing checkpoints: Ed25519 with a key kept under MEDSHIELD_HOME.

The private key is created on first use (PEM, mode 0600) in ``<home>/keys/ledger-ed25519.pem``;
the public key is recorded with every checkpoint, so an export verifies on its own and a
verifier can compare it with the key it trusts. SM2 signatures are not offered: no pinned
library implements them with the checks they need, so asking for them is refused clearly.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from medshield import atomic
from medshield.errors import LedgerError
from medshield.settings import get_settings

KEY_FILE = "ledger-ed25519.pem"


class Signer(Protocol):
    algorithm: ClassVar[str]

    def public_key_hex(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...


class Ed25519Signer:
    algorithm: ClassVar[str] = "ed25519"

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key

    def public_key_hex(self) -> str:
        raw = self._key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return raw.hex()

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)


def key_path(home: Path | None = None) -> Path:
    return (home or get_settings().home) / "keys" / KEY_FILE


def load_or_create_key(path: Path | None = None) -> Ed25519Signer:
    """The Ed25519 signer whose key lives at ``path``; created (0600) when absent."""
    target = path or key_path()
    if target.exists():
        try:
            key = serialization.load_pem_private_key(target.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise LedgerError(
                f"cannot read the ledger signing key: {exc}", where=str(target)
            ) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise LedgerError("the ledger signing key is not an Ed25519 key", where=str(target))
        return Ed25519Signer(key)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        atomic.write_bytes(target, pem, mode=0o600, exclusive=True, durable=True)
    except FileExistsError:  # another process created it first: use theirs
        return load_or_create_key(target)
    return Ed25519Signer(key)


def signer_for(algorithm: str) -> Signer:
    if algorithm == "ed25519":
        return load_or_create_key()
    if algorithm == "sm2":
        raise LedgerError(
            "sm2 signatures not available: no pinned library implements SM2 signing; "
            "use signature: ed25519",
            where="bundle.meta.ledger.signature",
        )
    raise LedgerError(f"unknown checkpoint signature {algorithm!r}; known: ed25519")


def checkpoint_message(seq: int, hash_: str, at_us: int, hash_alg: str) -> bytes:
    return f"medshield-ledger-checkpoint|{seq}|{hash_}|{at_us}|{hash_alg}".encode()


def signature_valid(sig_alg: str, public_key_hex: str, message: bytes, signature_hex: str) -> bool:
    if sig_alg != "ed25519":
        return False
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        public.verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True
