"""Masking dictionary batches and their entries.

Revision ID: 0004_masking
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_masking"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "masking_dictionary_batches",
        sa.Column("batch", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("approved_by", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(80), nullable=False),
        sa.PrimaryKeyConstraint("batch", name="pk_masking_dictionary_batches"),
    )
    op.create_table(
        "masking_dictionary_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("term", sa.String(200), nullable=False),
        sa.Column("code", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch"],
            ["masking_dictionary_batches.batch"],
            name="fk_masking_dictionary_entries_batch_masking_dictionary_batches",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_masking_dictionary_entries"),
    )
    op.create_index("ix_masking_dictionary_entries_batch", "masking_dictionary_entries", ["batch"])


def downgrade() -> None:
    op.drop_index("ix_masking_dictionary_entries_batch", table_name="masking_dictionary_entries")
    op.drop_table("masking_dictionary_entries")
    op.drop_table("masking_dictionary_batches")
