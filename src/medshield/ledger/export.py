"""Exporting a range of the ledger with the proof that it belongs to the signed chain.

An export is JSONL: a header line, the signed checkpoints that enclose the range (the newest at
or before the record preceding it, those inside, the first one after it), ``link`` lines for the
records between those checkpoints and the range (their digests only, never their content), and
the records of the range. ``verify_export`` checks it on its own: every link, every signature,
and that the chain runs from the checkpoint before to the checkpoint after.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from medshield.atomic import atomic_target
from medshield.errors import InputError, LedgerError
from medshield.ledger.canonical import GENESIS, Linker, canonical_json
from medshield.ledger.ledger import Ledger
from medshield.ledger.records import Checkpoint, RawRecord, VerifyReport
from medshield.ledger.signing import signature_valid
from medshield.ledger.verify import check_checkpoints

FORMAT = "medshield-ledger-export/1"


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    start_seq: int
    end_seq: int
    records: int
    checkpoints: int
    anchored_before: bool
    anchored_after: bool


def export_range(
    ledger: Ledger, out: Path, start_seq: int = 1, end_seq: int | None = None
) -> ExportSummary:
    """Write records ``start_seq..end_seq`` (to the head when None) and their proof to ``out``."""
    head = ledger.head()[0]
    end = head if end_seq is None else min(end_seq, head)
    if start_seq < 1 or end < start_seq:
        raise InputError(f"empty range {start_seq}..{end} (the ledger ends at {head})")
    cps = ledger.checkpoints()
    before = max((c for c in cps if c.seq < start_seq), key=lambda c: c.seq, default=None)
    after = min((c for c in cps if c.seq >= end), key=lambda c: c.seq, default=None)
    inside = [c for c in cps if start_seq <= c.seq <= end]
    chosen = sorted(
        {c.seq: c for c in [*inside, *(x for x in (before, after) if x)]}.values(),
        key=lambda c: c.seq,
    )
    first = before.seq + 1 if before else 1
    last = after.seq if after else end
    linker = Linker(ledger.hash_alg)
    header = {
        "type": "header",
        "format": FORMAT,
        "hash_alg": ledger.hash_alg,
        "from": start_seq,
        "to": end,
        "exported_at": datetime.now(UTC).isoformat(),
    }
    if ledger.signer.algorithm == "ed25519":  # the range itself is signed: a cut tail shows
        header["public_key"] = ledger.signer.public_key_hex()
        header["signature"] = ledger.signer.sign(_header_message(header)).hex()
    count = 0
    with atomic_target(out) as tmp, tmp.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(header) + "\n")
        for cp in chosen:
            handle.write(json.dumps({"type": "checkpoint", **cp.to_dict()}) + "\n")
        for record in ledger.raw_records(first, last):
            if start_seq <= record.seq <= end:
                line: dict[str, Any] = {"type": "record", **record.to_dict()}
                count += 1
            else:
                line = {"type": "link", **_link(record, linker)}
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    return ExportSummary(
        out,
        start_seq,
        end,
        count,
        len(chosen),
        before is not None or start_seq == 1,
        after is not None,
    )


def _header_message(header: dict[str, Any]) -> bytes:
    signed = {k: v for k, v in header.items() if k not in ("signature", "public_key")}
    return canonical_json(signed).encode()


def _header_problem(header: dict[str, Any], trusted_key: str | None) -> str | None:
    if "signature" not in header:
        return None if trusted_key is None else "the export header is not signed"
    key = str(header.get("public_key", ""))
    if trusted_key is not None and key != trusted_key:
        return "the export header is signed by an untrusted key"
    message = _header_message(header)
    if not signature_valid("ed25519", key, message, str(header["signature"])):
        return "the export header signature is invalid (header edited)"
    return None


def _link(record: RawRecord, linker: Linker) -> dict[str, Any]:
    return {
        "seq": record.seq,
        "at_us": record.at_us,
        "action": record.action,
        "body_digest": linker.body_digest(record.body),
        "prev_hash": record.prev_hash,
        "hash": record.hash,
    }


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    raise LedgerError("export line is not JSON", where=f"{path}:{number}") from None
    except OSError as exc:
        raise InputError(f"cannot read export: {exc.strerror}", where=str(path)) from None


def verify_export(path: Path, *, trusted_key: str | None = None) -> VerifyReport:
    """Verify an export file on its own (see the module docstring for what that proves)."""
    started = time.perf_counter()
    lines = _lines(path)
    header = next(lines, None)
    if not header or header.get("type") != "header" or header.get("format") != FORMAT:
        raise LedgerError("not a medshield ledger export", where=str(path))
    alg, start, end = str(header["hash_alg"]), int(header["from"]), int(header["to"])
    linker = Linker(alg)
    checkpoints: list[Checkpoint] = []
    chain: list[dict[str, Any]] = []
    for line in lines:
        kind = line.pop("type", None)
        if kind == "checkpoint":
            checkpoints.append(Checkpoint(**line))
        elif kind in ("record", "link"):
            line["_kind"] = kind
            chain.append(line)
        else:
            raise LedgerError(f"unknown export line type {kind!r}", where=str(path))
    notes: list[str] = []
    named = {c.seq: c.hash for c in checkpoints}
    before = [c for c in checkpoints if c.seq < start]
    if before:
        expected, prev = before[-1].seq + 1, before[-1].hash
    elif start == 1:
        expected, prev = 1, GENESIS
    else:
        expected = chain[0]["seq"] if chain else start
        prev = chain[0]["prev_hash"] if chain else GENESIS
        notes.append(f"record {start} is not anchored by a signed checkpoint before it")
    bad: int | None = None
    problem: str | None = None
    records = 0
    for item in chain:
        seq = int(item["seq"])
        if seq != expected:
            bad, problem = expected, f"record {expected} is missing from the export"
            break
        if item["prev_hash"] != prev:
            bad, problem = seq, f"record {seq} does not follow record {seq - 1}"
            break
        is_record = item["_kind"] == "record"
        if is_record != (start <= seq <= end):
            bad, problem = seq, f"record {seq} is in the wrong part of the export"
            break
        digest = linker.body_digest(item["body"]) if is_record else item["body_digest"]
        if linker.link(seq, prev, int(item["at_us"]), item["action"], digest) != item["hash"]:
            bad, problem = seq, f"record {seq} does not match its hash (edited)"
            break
        if seq in named and named[seq] != item["hash"]:
            bad, problem = seq, f"record {seq} differs from its signed checkpoint"
            break
        records += is_record
        prev, expected = item["hash"], seq + 1
    if problem is None and expected <= end:
        bad, problem = (
            expected,
            f"the export ends at {expected - 1}, its header says {end} (truncated)",
        )
    if problem is None:
        beyond = [c.seq for c in checkpoints if c.seq >= expected]
        if beyond:
            bad, problem = (
                expected,
                f"a checkpoint names record {beyond[0]}, the export ends at {expected - 1}",
            )
        elif not any(c.seq >= end for c in checkpoints):
            notes.append(
                f"records after checkpoint {max(named, default=0)} are not covered by a signed checkpoint yet"
            )
    cp_problem = check_checkpoints(checkpoints, alg, trusted_key)
    if problem is None:
        problem = _header_problem(header, trusted_key) or cp_problem
    if "signature" not in header:
        notes.append("the export header is not signed")
    return VerifyReport(
        ok=problem is None,
        checked=records,
        first_bad_seq=bad,
        problem=problem,
        checkpoints_ok=cp_problem is None,
        checkpoints=len(checkpoints),
        head_seq=end,
        seconds=time.perf_counter() - started,
        notes=tuple(notes),
    )
