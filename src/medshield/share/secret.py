"""The platform's watermark secret: ``MEDSHIELD_HOME/keys/watermark.key`` (0600), made on first use.

A recipient's mark key is ``HMAC-SHA256(secret, package id | recipient)``: the platform can
re-derive every recipient's key of every package it recorded, so a leaked copy can be traced
without storing keys in the ledger.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from medshield import atomic
from medshield.settings import get_settings


def secret_path() -> Path:
    return get_settings().home / "keys" / "watermark.key"


def watermark_secret(path: Path | None = None) -> bytes:
    path = path or secret_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic.write_bytes(path, secrets.token_bytes(32), mode=0o600, exclusive=True, durable=True)
    return path.read_bytes()


def mark_key(secret: bytes, package: str, recipient: str) -> bytes:
    return hmac.new(secret, f"{package}|{recipient}".encode(), hashlib.sha256).digest()
