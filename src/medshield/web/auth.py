"""Signing in platform staff: scrypt password hashes, the members and roles of the policy.

Staff are the policy's members with a role of the committee, office, administrator or supervisor
layer; the password file maps member ids to hashes (``hash_password``) and holds no roles: a
member's roles are read from the policy on every request, so a change of policy takes effect at
once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml

from medshield import atomic
from medshield.datafiles import check_size
from medshield.errors import ConfigError, SignInError
from medshield.policy import PolicyBundle

STAFF_LAYERS: tuple[str, ...] = ("committee", "office", "administrator", "supervisor")
_N, _R, _P = 2**14, 8, 1


@dataclass(frozen=True)
class Staff:
    """A signed-in member: id, title, the policy roles and their layers."""

    id: str
    title: str
    roles: tuple[str, ...]
    layers: frozenset[str]


def hash_password(password: str, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` (hex)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(digest) // 2,
        )  # fmt: skip
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


def load_passwords(path: Path | None) -> dict[str, str]:
    """The password file: ``{member id: hash}``; none: nobody can sign in (fail closed)."""
    if path is None or not path.exists():
        return {}
    check_size(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"the console password file is not YAML: {exc}", where=str(path)
        ) from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ConfigError("the console password file maps member ids to hashes", where=str(path))
    return data


def write_passwords(path: Path, passwords: dict[str, str]) -> None:
    """Write ``{member: plain password}`` hashed, merged into the file at ``path``."""
    known = load_passwords(path)
    known |= {member: hash_password(pw) for member, pw in passwords.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(path, yaml.safe_dump(known, sort_keys=True), mode=0o600)


def staff_of(bundle: PolicyBundle, member_id: str) -> Staff | None:
    """The member as staff, or None when the policy does not make them staff."""
    member = bundle.governance.member(member_id)
    if member is None:
        return None
    layers = {r.id: r.layer for r in bundle.roles}
    staff_layers = frozenset(layers.get(r, "") for r in member.roles) & set(STAFF_LAYERS)
    if not staff_layers:
        return None
    return Staff(member.id, member.title, member.roles, staff_layers)


_DUMMY = hash_password("-")


def sign_in(bundle: PolicyBundle, passwords: dict[str, str], member: str, password: str) -> Staff:
    """The staff member, when the password matches; SignInError otherwise (one message for
    every cause, and a hash computed either way)."""
    ok = verify_password(password, passwords.get(member, _DUMMY)) and member in passwords
    staff = staff_of(bundle, member) if ok else None
    if staff is None:
        raise SignInError("unknown member or wrong password", where="sign-in")
    return staff
