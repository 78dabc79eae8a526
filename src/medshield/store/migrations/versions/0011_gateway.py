"""Gateway access tokens, stored as hashes.

Revision ID: 0011_gateway
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_gateway"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gateway_tokens",
        sa.Column("token_id", sa.String(32), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("institution", sa.String(64), nullable=False),
        sa.Column("application", sa.String(100), nullable=False),
        sa.Column("role", sa.String(100), nullable=False),
        sa.Column("scenario", sa.String(100), nullable=True),
        sa.Column("max_level", sa.String(20), nullable=False),
        sa.Column("apis", sa.JSON(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replaced_by", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("token_id", name="pk_gateway_tokens"),
    )


def downgrade() -> None:
    op.drop_table("gateway_tokens")
