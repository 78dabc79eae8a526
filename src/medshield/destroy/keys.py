"""Per-patient data keys, so that destroying a key destroys that patient's data (crypto-shred).

Values are sealed with AES-256-GCM under a key of their own data subject (a keyed pseudonym,
never a raw identifier); the keys live in one table, ``ms_patient_keys``, of a database of their
own choosing. Deleting a subject's key row makes every value sealed under it unreadable, in the
source database and in every backup of it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
)

from medshield.errors import InputError, UnknownNameError
from medshield.lineage.steps import check_pseudonym

KEY_TABLE = "ms_patient_keys"
_NONCE = 12

metadata = MetaData()
patient_keys = Table(
    KEY_TABLE,
    metadata,
    Column("subject", String(128), primary_key=True),
    Column("data_key", LargeBinary(32), nullable=False),
    Column("created_at", DateTime, nullable=False),
)


class PatientKeys:
    """The key table in ``engine``: create keys, seal and open values, shred keys."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine, tables=[patient_keys])

    def _key(self, subject: str, *, create: bool) -> bytes | None:
        check_pseudonym(subject)
        with self.engine.begin() as conn:
            key = conn.scalar(
                select(patient_keys.c.data_key).where(patient_keys.c.subject == subject)
            )
            if key is None and create:
                key = AESGCM.generate_key(bit_length=256)
                conn.execute(
                    insert(patient_keys).values(
                        subject=subject,
                        data_key=key,
                        created_at=datetime.now(UTC).replace(tzinfo=None),
                    )
                )
        return None if key is None else bytes(key)

    def seal(self, subject: str, value: str) -> bytes:
        """``value`` encrypted under ``subject``'s key (created on first use)."""
        key = self._key(subject, create=True)
        assert key is not None
        nonce = os.urandom(_NONCE)
        return nonce + AESGCM(key).encrypt(nonce, value.encode("utf-8"), subject.encode())

    def open(self, subject: str, token: bytes) -> str:
        """The value sealed in ``token``; an error when the subject's key was shredded."""
        key = self._key(subject, create=False)
        if key is None:
            raise UnknownNameError(
                "no data key for this subject: destroyed or never made", where=subject
            )
        try:
            plain = AESGCM(key).decrypt(token[:_NONCE], token[_NONCE:], subject.encode())
        except InvalidTag:
            raise InputError("sealed value does not open under this subject's key") from None
        return plain.decode("utf-8")

    def shred(self, subjects: Iterable[str]) -> int:
        """Delete the keys of ``subjects``; return how many keys were deleted."""
        wanted = sorted(set(subjects))
        deleted = 0
        with self.engine.begin() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                result = conn.execute(delete(patient_keys).where(patient_keys.c.subject.in_(chunk)))
                deleted += result.rowcount
        return deleted

    def present(self, subjects: Iterable[str]) -> int:
        """How many of ``subjects`` still have a key."""
        wanted = sorted(set(subjects))
        found = 0
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                found += (
                    conn.scalar(select(func.count()).where(patient_keys.c.subject.in_(chunk))) or 0
                )
        return found
