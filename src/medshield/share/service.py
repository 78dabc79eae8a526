"""Packing, opening and tracing with their ledger events: every open is checked and recorded.

``share.packed`` names the package, its recipients, algorithm and expiry (the package's digest in
``payload_digest``); ``share.opened`` records every attempt, allowed or refused with its error
code; ``share.traced`` records who a leaked copy was traced to.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from medshield import atomic
from medshield.datafiles import read_whole
from medshield.errors import InputError, MedshieldError, PackageFormatError
from medshield.governance import authorize
from medshield.ledger import DataObject, Event, Ledger
from medshield.policy import PolicyBundle
from medshield.share.keys import load_private, load_public
from medshield.share.package import Opened, open_package, pack, read_header
from medshield.share.secret import mark_key, watermark_secret
from medshield.share.watermark import Verdict, identify, mark_csv, observations
from medshield.share.watermark_pdf import mark_pdf, pdf_observations

WATERMARKED = (".csv", ".xlsx", ".pdf")  # the formats that get a per-recipient watermark


def _marked(source: Path, content: bytes, key: bytes) -> bytes:
    if source.suffix.lower() == ".pdf":
        return mark_pdf(content, key)
    if source.suffix.lower() == ".xlsx":
        from medshield.share.watermark_xlsx import mark_xlsx  # lazy: openpyxl is slow to import

        return mark_xlsx(content, key)
    try:
        return mark_csv(content.decode("utf-8"), key).encode("utf-8")
    except UnicodeDecodeError:
        raise InputError("a CSV to share must be UTF-8", where=str(source)) from None


def _observed(leaked: Path) -> dict[str, int]:
    if leaked.suffix.lower() == ".pdf":
        return pdf_observations(leaked.read_bytes())
    if leaked.suffix.lower() == ".xlsx":
        from medshield.share.watermark_xlsx import xlsx_observations

        return xlsx_observations(read_whole(leaked))
    return observations(read_whole(leaked).decode("utf-8"))


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def pack_file(
    ledger: Ledger,
    bundle: PolicyBundle,
    actor: str,
    source: Path,
    recipients: Mapping[str, Path],
    out: Path,
    *,
    days: int,
    secret: bytes | None = None,
    now: datetime | None = None,
) -> dict[str, object]:
    """Seal ``source`` for each recipient (public key files); a CSV or XLSX file gets each
    recipient's own watermark."""
    settings = bundle.governance.share
    authorize(ledger, bundle, actor, "share.pack", target=source.name)
    if not 1 <= days <= settings.max_days:
        raise InputError(
            f"a package lives 1 to {settings.max_days} days, not {days}", where="--days"
        )
    content = read_whole(source)
    keys = {rid: load_public(path) for rid, path in recipients.items()}
    package_id = uuid.uuid4().hex
    watermarked = source.suffix.lower() in WATERMARKED
    if watermarked:
        secret = secret or watermark_secret()
        contents = {r: _marked(source, content, mark_key(secret, package_id, r)) for r in keys}
    else:
        contents = dict.fromkeys(keys, content)
    now = now or datetime.now(UTC)
    data = pack(contents, keys, filename=source.name, expires_at=now + timedelta(days=days),
                sender=actor, alg=settings.algorithm, package_id=package_id,
                watermarked=watermarked, now=now)  # fmt: skip
    atomic.write_bytes(out, data)
    header, _ = read_header(data)
    ledger.append(Event(action="share.packed", actor=actor, at=now, payload_digest=_digest(data),
                        object=DataObject(path=out.name), policy_version=bundle.version,
                        detail={"package": package_id, "recipients": sorted(keys),
                                "alg": settings.algorithm, "expires_at": header["expires_at"],
                                "watermarked": watermarked, "source_digest": _digest(content)}))  # fmt: skip
    return {"package": package_id, "path": str(out), "recipients": sorted(keys),
            "alg": settings.algorithm, "expires_at": header["expires_at"],
            "watermarked": watermarked}  # fmt: skip


def open_file(
    ledger: Ledger, actor: str, path: Path, key: Path, *, now: datetime | None = None
) -> Opened:
    """Open a package with a private key file; the attempt is recorded whatever its outcome."""
    data = b""
    package = None
    try:
        if path.is_file():
            data = read_whole(path)
        if not data:
            raise PackageFormatError("no such package file", where=str(path))
        package = str(read_header(data)[0]["package"])
        opened = open_package(data, load_private(key), now=now)
    except MedshieldError as exc:
        ledger.append(Event(action="share.opened", actor=actor, outcome="deny",
                            payload_digest=_digest(data) if data else None,
                            object=DataObject(path=path.name), reasons=(exc.message,),
                            detail={"package": package, "code": exc.code}))  # fmt: skip
        raise
    ledger.append(Event(action="share.opened", actor=actor, outcome="allow",
                        payload_digest=_digest(data), object=DataObject(path=path.name),
                        detail={"package": opened.package, "recipient": opened.recipient,
                                "content_digest": _digest(opened.content)}))  # fmt: skip
    return opened


def trace_file(ledger: Ledger, actor: str, leaked: Path, *, secret: bytes | None = None) -> Verdict:
    """Which recipient of which recorded package a leaked CSV, XLSX or PDF came from (WatermarkError
    if none)."""
    secret = secret or watermark_secret()
    keys: dict[str, bytes] = {}
    for r in ledger.records(action_prefix="share.packed"):
        if r.event.detail.get("watermarked"):
            pkg = str(r.event.detail["package"])
            for rid in r.event.detail["recipients"]:
                keys[f"{pkg}/{rid}"] = mark_key(secret, pkg, str(rid))
    verdict = identify(_observed(leaked), keys)
    package, recipient = verdict.recipient.split("/", 1)
    ledger.append(Event(action="share.traced", actor=actor, outcome="alert",
                        object=DataObject(path=leaked.name), payload_digest=_digest(read_whole(leaked)),
                        detail={"package": package, "recipient": recipient, **verdict.as_row()}))  # fmt: skip
    return verdict
