"""Approvals required before acting: a masking dictionary batch before it is imported.

``approved_batch`` turns an approved ``dictionary_batch`` request into the ``BatchApproval``
that ``mask.dictionary_store.import_batch`` needs. It fails closed: a request that is pending,
rejected, expired, of another kind, that names no ``digest``, or that an earlier import already
used, is refused with a coded error. (Token issuing checks its ``data_access`` application in
``service.applications``.)
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from medshield.errors import ApprovalError
from medshield.governance.approvals import require_approved
from medshield.ledger import Ledger
from medshield.mask.dictionary import entries_digest, read_batch_file
from medshield.mask.dictionary_store import ACTION, BatchApproval, BatchInfo, import_batch

DICTIONARY_BATCH = "dictionary_batch"


def batch_digest(path: Path) -> str:
    """The digest a ``dictionary_batch`` request names for the CSV ``path``."""
    return entries_digest(read_batch_file(path))


def approved_batch(ledger: Ledger, request_id: int, now: datetime | None = None) -> BatchApproval:
    """The approval of request ``request_id`` for one dictionary batch (used at most once)."""
    req = require_approved(ledger, request_id, DICTIONARY_BATCH, now)
    digest = str(req.subject.get("digest", "")).strip()
    if not digest:
        raise ApprovalError(f"request {request_id} names no batch digest", where=str(request_id))
    for record in ledger.records(action_prefix=ACTION):
        if record.event.detail.get("approval") == request_id:
            raise ApprovalError(
                f"approval {request_id} was already used for batch "
                f"{record.event.detail.get('batch')}",
                where=str(request_id),
            )
    voters = ",".join(v.actor for v in req.votes if v.decision == "approve")
    return BatchApproval(request_id, voters[:100], req.reason or f"approval {request_id}", digest)


def import_approved_batch(
    ledger: Ledger,
    path: Path,
    request_id: int,
    *,
    engine: Engine | None = None,
    now: datetime | None = None,
) -> BatchInfo:
    """Import ``path`` as the next dictionary batch under approval ``request_id``."""
    read_batch_file(path)  # a malformed file is named with its line before anything else
    return import_batch(path, approval=approved_batch(ledger, request_id, now), engine=engine)
