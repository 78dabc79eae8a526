"""Recipients' X25519 key pairs: PEM files, the private one written with mode 0600."""

from __future__ import annotations

import re
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from medshield import atomic
from medshield.datafiles import check_size
from medshield.errors import InputError

RECIPIENT = re.compile(r"[^\W.][\w.\-]{0,63}")


def generate_keypair(folder: Path, recipient: str) -> tuple[Path, Path]:
    """Write ``<recipient>.key`` (private, 0600) and ``<recipient>.pub`` into ``folder``."""
    if not RECIPIENT.fullmatch(recipient):
        raise InputError(
            "a recipient id is 1-64 letters, digits, '.', '_' or '-' (not starting with '.')",
            where=recipient[:64],
        )
    folder.mkdir(parents=True, exist_ok=True)
    private = X25519PrivateKey.generate()
    key_path, pub_path = folder / f"{recipient}.key", folder / f"{recipient}.pub"
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())  # fmt: skip
    atomic.write_bytes(key_path, pem, mode=0o600, durable=True)
    atomic.write_bytes(pub_path, public_pem(private.public_key()))
    return key_path, pub_path


def public_pem(key: X25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_private(path: Path) -> X25519PrivateKey:
    check_size(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(f"not a readable X25519 private key: {exc}", where=str(path)) from None
    if not isinstance(key, X25519PrivateKey):
        raise InputError("not an X25519 private key", where=str(path))
    return key


def load_public(path: Path) -> X25519PublicKey:
    check_size(path)
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise InputError(f"not a readable X25519 public key: {exc}", where=str(path)) from None
    if not isinstance(key, X25519PublicKey):
        raise InputError("not an X25519 public key", where=str(path))
    return key
