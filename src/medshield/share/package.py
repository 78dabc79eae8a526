"""The encrypted package: one file, one sealed copy per recipient, an expiry (R4).

Layout: ``MSPKG1\\n``, the header's length (4 bytes, big-endian), the header (canonical JSON), then
the sealed copies one after another. Each recipient's copy is sealed with a key agreed between a
fresh ephemeral X25519 key and the recipient's public key (HKDF), under AES-256-GCM or SM4-GCM.
The associated data of every copy is the magic and the whole header except ``body_sha256``, so
changing any header field (the expiry, a recipient, the algorithm) fails authentication; the
header's ``body_sha256`` covers every copy, so a byte changed in another recipient's copy is
refused too. A header that is not in canonical form, a body of the wrong length, or an unknown
format is refused. The expiry is checked after authentication, so it is the sender's.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from medshield.errors import (
    InputError,
    PackageExpiredError,
    PackageFormatError,
    PackageKeyError,
    PackageTamperedError,
)
from medshield.share.crypto import ALGORITHMS, TAG, opener_key, recipient_key, seal, unseal

MAGIC = b"MSPKG1\n"
FORMAT = 1
_LEN = 4
_MAX_HEADER = 1 << 20


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _aad(header: dict[str, Any]) -> bytes:
    return MAGIC + canonical({k: v for k, v in header.items() if k != "body_sha256"})


def pack(
    contents: Mapping[str, bytes],
    recipients: Mapping[str, X25519PublicKey],
    *,
    filename: str,
    expires_at: datetime,
    sender: str,
    alg: str = "aes-256-gcm",
    package_id: str | None = None,
    watermarked: bool = False,
    now: datetime | None = None,
) -> bytes:
    """Seal ``contents[recipient]`` for each recipient (its own copy: watermarks differ)."""
    if alg not in ALGORITHMS:
        raise InputError(f"unknown algorithm {alg!r}; known: {', '.join(ALGORITHMS)}")
    if not recipients or set(contents) != set(recipients):
        raise InputError("give one content for each recipient, and at least one recipient")
    now = now or datetime.now(UTC)
    if expires_at <= now:
        raise InputError("the expiry must be in the future", where="expires")
    entries: list[dict[str, Any]] = []
    keys: dict[str, bytes] = {}
    offset = 0
    for rid in sorted(recipients):
        ephemeral = X25519PrivateKey.generate()
        keys[rid] = recipient_key(alg, ephemeral, recipients[rid])
        length = len(contents[rid]) + TAG
        entries.append({"id": rid, "public": recipients[rid].public_bytes_raw().hex(),
                        "epk": ephemeral.public_key().public_bytes_raw().hex(),
                        "nonce": os.urandom(12).hex(), "offset": offset, "length": length})  # fmt: skip
        offset += length
    header: dict[str, Any] = {
        "format": FORMAT, "package": package_id or uuid.uuid4().hex, "alg": alg,
        "created_at": now.isoformat(), "expires_at": expires_at.isoformat(),
        "filename": filename, "sender": sender, "watermarked": watermarked,
        "recipients": entries,
    }  # fmt: skip
    aad = _aad(header)
    body = b"".join(
        seal(alg, keys[e["id"]], bytes.fromhex(e["nonce"]), contents[e["id"]], aad) for e in entries
    )
    header["body_sha256"] = hashlib.sha256(body).hexdigest()
    head = canonical(header)
    return MAGIC + len(head).to_bytes(_LEN, "big") + head + body


def read_header(data: bytes) -> tuple[dict[str, Any], bytes]:
    """The header and the body of a package, checked for form and the body digest."""
    if not data.startswith(MAGIC):
        raise PackageFormatError("not a medshield package (bad magic)")
    start = len(MAGIC) + _LEN
    size = int.from_bytes(data[len(MAGIC) : start], "big")
    if size <= 0 or size > _MAX_HEADER or start + size > len(data):
        raise PackageFormatError("bad header length")
    head = data[start : start + size]
    try:
        header = json.loads(head.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PackageFormatError("the header is not valid JSON") from None
    if not isinstance(header, dict) or canonical(header) != head:
        raise PackageTamperedError("the header is not in its canonical form: it was changed")
    if header.get("format") != FORMAT or header.get("alg") not in ALGORITHMS:
        raise PackageFormatError(f"unknown package format or algorithm: {header.get('alg')!r}")
    body = data[start + size :]
    try:
        sections = sorted((int(e["offset"]), int(e["length"])) for e in header["recipients"])
        contiguous = all(a[0] + a[1] == b[0] for a, b in zip(sections, sections[1:], strict=False))
        expected = sum(n for _o, n in sections)
    except (KeyError, TypeError, ValueError):
        raise PackageFormatError("malformed recipient entries") from None
    if not sections or sections[0][0] != 0 or not contiguous or len(body) != expected:
        raise PackageTamperedError("the body does not have the length its header gives")
    if hashlib.sha256(body).hexdigest() != header.get("body_sha256"):
        raise PackageTamperedError("the body does not match its digest: it was changed")
    return header, body


@dataclass(frozen=True)
class Opened:
    package: str
    recipient: str
    filename: str
    content: bytes
    header: dict[str, Any]


def open_package(data: bytes, private: X25519PrivateKey, *, now: datetime | None = None) -> Opened:
    """The recipient's copy; PackageKeyError, PackageTamperedError, PackageExpiredError or
    PackageFormatError otherwise (never a partial result)."""
    header, body = read_header(data)
    mine = private.public_key().public_bytes_raw().hex()
    entry = next((e for e in header["recipients"] if e.get("public") == mine), None)
    if entry is None:
        raise PackageKeyError("this key is not one of the package's recipients")
    try:
        ephemeral = X25519PublicKey.from_public_bytes(bytes.fromhex(entry["epk"]))
        nonce = bytes.fromhex(entry["nonce"])
        start, length = int(entry["offset"]), int(entry["length"])
    except (ValueError, KeyError, TypeError):
        raise PackageTamperedError("a recipient entry was changed") from None
    key = opener_key(header["alg"], private, ephemeral)
    sealed = body[start : start + length]
    content = unseal(header["alg"], key, nonce, sealed, _aad(header))
    expires = datetime.fromisoformat(header["expires_at"])
    if (now or datetime.now(UTC)) >= expires:
        raise PackageExpiredError(f"the package expired at {header['expires_at']}")
    return Opened(header["package"], entry["id"], header["filename"], content, header)


def describe(data: bytes) -> dict[str, Any]:
    """What a package says about itself (no key needed): for ``share inspect``."""
    header, _body = read_header(data)
    return {
        "package": header["package"],
        "alg": header["alg"],
        "filename": header["filename"],
        "sender": header["sender"],
        "created_at": header["created_at"],
        "expires_at": header["expires_at"],
        "watermarked": header["watermarked"],
        "recipients": [e["id"] for e in header["recipients"]],
        "body_sha256": header["body_sha256"],
    }
