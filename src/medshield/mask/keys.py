"""The key ring of keyed operators: key id -> secret, kept outside the policy files.

The ring lives in ``MEDSHIELD_HOME/keys/masking.json`` (created with mode 0600, its folder 0700). Rotation adds a
new key and makes it active; old keys stay in the ring so pseudonyms made with them still
resolve (their key id is part of every pseudonym).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from medshield import atomic
from medshield.errors import ConfigError
from medshield.mask.operators.base import MaskContext
from medshield.settings import get_settings

KEY_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"


@dataclass
class KeyRing:
    """Key id -> secret, with the id of the key new pseudonyms are made with."""

    keys: dict[str, bytes] = field(default_factory=dict)
    active: str | None = None

    def secret(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise ConfigError(f"unknown masking key id {key_id!r}", where="keys") from None

    def rotate(self, key_id: str | None = None) -> str:
        """Add a fresh key (its id from the date when not given) and make it active."""
        new_id = key_id or datetime.now(UTC).strftime("k%Y%m%d%H%M%S")
        if not re.match(KEY_ID, new_id):
            raise ConfigError(
                f"masking key id {new_id!r} must be 1-32 letters, digits, '_', '.' or '-'",
                where="keys",
            )
        if new_id in self.keys:
            raise ConfigError(f"masking key id {new_id!r} already exists", where="keys")
        self.keys[new_id] = secrets.token_bytes(32)
        self.active = new_id
        return new_id

    def context(self, *, release_id: str = "adhoc", **extras: object) -> MaskContext:
        """A mask context carrying this ring."""
        return MaskContext(
            keys=dict(self.keys), active_key=self.active, release_id=release_id, extras=extras
        )

    def to_json(self) -> str:
        keys = {k: base64.b64encode(v).decode() for k, v in self.keys.items()}
        return json.dumps({"active": self.active, "keys": keys}, indent=2)

    @classmethod
    def from_json(cls, text: str, *, where: str) -> KeyRing:
        try:
            raw = json.loads(text)
            keys = {str(k): base64.b64decode(v, validate=True) for k, v in raw["keys"].items()}
            active = raw.get("active")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"malformed key ring: {exc}", where=where) from None
        if active is not None and active not in keys:
            raise ConfigError(f"active key {active!r} is not in the ring", where=where)
        return cls(keys=keys, active=active)


def key_ring_path(home: Path | None = None) -> Path:
    return (home or get_settings().home) / "keys" / "masking.json"


def load_key_ring(home: Path | None = None, *, create: bool = True) -> KeyRing:
    """The ring in ``home/keys/masking.json``; a new ring with one key is written (0600) when absent."""
    path = key_ring_path(home)
    if path.exists():
        return KeyRing.from_json(path.read_text(encoding="utf-8"), where=str(path))
    ring = KeyRing()
    if create:
        ring.rotate("k1")
        save_key_ring(ring, home)
    return ring


def save_key_ring(ring: KeyRing, home: Path | None = None) -> Path:
    """Write the ring atomically with mode 0600."""
    path = key_ring_path(home)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    atomic.write_text(path, ring.to_json(), mode=0o600, durable=True)
    return path
