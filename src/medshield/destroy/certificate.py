"""The destruction certificate: what was destroyed, how, on whose approval, and the proof.

The certificate is a ``lifecycle.destroy`` ledger event, so it is chained and verifiable like any
other record; a ``lineage.destroy`` step ends the table's flow in the data-flow graph. Primary
keys are never written out, only the SHA-256 digest of their sorted canonical form.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from medshield.ledger.events import DataObject, Event
from medshield.lineage.steps import lineage_event

Method = Literal["delete", "crypto_shred"]


class Appender(Protocol):
    def append(self, event: Event) -> Any: ...


def key_digest(keys: Iterable[Sequence[Any]]) -> str:
    """``sha256:`` of the sorted primary-key tuples, each rendered as a JSON list of strings."""
    canonical = sorted(json.dumps([str(v) for v in key], ensure_ascii=False) for key in keys)
    return "sha256:" + hashlib.sha256("\n".join(canonical).encode("utf-8")).hexdigest()


@dataclass
class Certificate:
    """One destruction, verified or not, and (once recorded) its ledger place."""

    certificate_id: str
    source: str  # the source's name in the data-flow graph
    source_url: str  # without password
    table: str
    method: Method
    selection: str
    approved_by: str
    operator: str
    rows: int
    key_digest: str
    remaining_by_predicate: int
    remaining_by_key: int
    started: datetime
    finished: datetime
    retention_rule: str | None = None
    keys_shredded: int = 0
    dry_run: bool = False
    patients: tuple[str, ...] = ()  # keyed pseudonyms, for the lineage step only
    receipts: list[Any] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return self.remaining_by_predicate == 0 and self.remaining_by_key == 0

    @property
    def seq(self) -> int | None:
        return getattr(self.receipts[0], "seq", None) if self.receipts else None

    @property
    def hash(self) -> str | None:
        return getattr(self.receipts[0], "hash", None) if self.receipts else None

    def detail(self) -> dict[str, Any]:
        return {
            "certificate_id": self.certificate_id,
            "method": self.method,
            "selection": self.selection,
            "approved_by": self.approved_by,
            "rows": self.rows,
            "key_digest": self.key_digest,
            "keys_shredded": self.keys_shredded,
            "patients": len(self.patients),
            "verified": self.verified,
            "remaining_by_predicate": self.remaining_by_predicate,
            "remaining_by_key": self.remaining_by_key,
            "retention_rule": self.retention_rule,
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat(),
        }

    def as_row(self) -> dict[str, Any]:
        return {
            "certificate": self.certificate_id,
            "seq": self.seq,
            "hash": self.hash,
            "source": self.source_url,
            "table": self.table,
            "dry_run": self.dry_run,
            **{k: v for k, v in self.detail().items() if k != "certificate_id"},
        }

    def event(self) -> Event:
        """The ``lifecycle.destroy`` ledger event of this certificate."""
        reasons = [f"approved by {self.approved_by}"]
        if self.retention_rule:
            reasons.append(f"retention rule {self.retention_rule}")
        if not self.verified:
            reasons.append("verification failed: rows remain")
        return Event(
            action="lifecycle.destroy",
            actor=self.operator,
            object=DataObject(source=self.source_url, table=self.table),
            rows=self.rows,
            outcome="info" if self.verified else "alert",
            reasons=tuple(reasons),
            payload_digest=self.key_digest,
            detail=self.detail(),
        )


def record(ledger: Appender, cert: Certificate) -> Certificate:
    """Append the certificate and its ``lineage.destroy`` step; keep their receipts."""
    node = f"{cert.source}/{cert.table}"
    step = lineage_event(
        stage="destroy",
        actor=cert.operator,
        from_=node,
        to=node,
        form="raw",
        rows=cert.rows,
        time_in=cert.started,
        time_out=cert.finished,
        job=cert.certificate_id,
        pseudonyms=cert.patients,
    )
    cert.receipts = [ledger.append(cert.event()), ledger.append(step)]
    return cert
