"""The mask context of one release: the key ring of MEDSHIELD_HOME and the dictionary batch
the policy pins. Engines build one per release; dynamic masking one per policy version."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import Engine

from medshield.errors import PolicyReferenceError, UnknownNameError
from medshield.mask.dictionary_store import load_dictionary
from medshield.mask.keys import load_key_ring
from medshield.mask.operators.base import MaskContext
from medshield.policy.bundle import PolicyBundle


def release_context(
    bundle: PolicyBundle,
    *,
    release_id: str | None = None,
    home: Path | None = None,
    store: Engine | None = None,
) -> MaskContext:
    """Keys, the pinned dictionary and a release id (a fresh one when not given)."""
    ring = load_key_ring(home)
    try:
        dictionary = load_dictionary(bundle.masking.dictionary_batch, store)
    except UnknownNameError as exc:
        doc = bundle.sources.get("masking")
        where = doc.where(("dictionary_batch",)) if doc is not None else str(bundle.root)
        raise PolicyReferenceError(exc.message, where=where) from None
    return ring.context(release_id=release_id or f"rel-{uuid.uuid4().hex}", dictionary=dictionary)
