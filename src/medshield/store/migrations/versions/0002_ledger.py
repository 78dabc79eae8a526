"""The ledger: hash-chained records, signed checkpoints, the head row appenders lock.

Revision ID: 0002_ledger
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_ledger"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "ledger_records",
        sa.Column("seq", SEQ, nullable=False, autoincrement=False),
        sa.Column("at_us", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_ledger_records"),
    )
    op.create_index("ix_ledger_records_at_us", "ledger_records", ["at_us"])
    op.create_index("ix_ledger_records_action", "ledger_records", ["action"])
    op.create_table(
        "ledger_checkpoints",
        sa.Column("seq", SEQ, nullable=False, autoincrement=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("at_us", sa.BigInteger(), nullable=False),
        sa.Column("hash_alg", sa.String(16), nullable=False),
        sa.Column("sig_alg", sa.String(16), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_ledger_checkpoints"),
    )
    head = op.create_table(
        "ledger_head",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("hash_alg", sa.String(16), nullable=True),
        sa.Column("checkpoint_seq", sa.BigInteger(), nullable=False),
        sa.Column("checkpoint_at_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_head"),
    )
    op.bulk_insert(
        head,
        [
            {
                "id": 1,
                "seq": 0,
                "hash": GENESIS,
                "hash_alg": None,
                "checkpoint_seq": 0,
                "checkpoint_at_us": 0,
            }
        ],
    )


def downgrade() -> None:
    op.drop_table("ledger_head")
    op.drop_table("ledger_checkpoints")
    op.drop_index("ix_ledger_records_action", table_name="ledger_records")
    op.drop_index("ix_ledger_records_at_us", table_name="ledger_records")
    op.drop_table("ledger_records")
