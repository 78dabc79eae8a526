"""The data catalogue: sources, tables, graded columns.

Revision ID: 0003_catalog
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_catalog"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "catalog_sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("dialect", sa.String(40), nullable=False),
        sa.Column("first_scanned_at", TZ, nullable=False),
        sa.Column("last_scanned_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_sources"),
        sa.UniqueConstraint("name", name="uq_catalog_sources_name"),
    )
    op.create_table(
        "catalog_tables",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("schema_name", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(80), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=True),
        sa.Column("sampled", sa.Integer(), nullable=False),
        sa.Column("classifier_version", sa.String(200), nullable=False),
        sa.Column("detector_version", sa.String(80), nullable=False),
        sa.Column("policy_version", sa.String(80), nullable=False),
        sa.Column("scanned_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["catalog_sources.id"],
            ondelete="CASCADE",
            name="fk_catalog_tables_source_id_catalog_sources",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_tables"),
        sa.UniqueConstraint(
            "source_id", "schema_name", "name", name="uq_catalog_tables_source_id_schema_name_name"
        ),
    )
    op.create_table(
        "catalog_columns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("element", sa.String(40), nullable=True),
        sa.Column("category", sa.String(40), nullable=True),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("level_trace", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("classifier_version", sa.String(200), nullable=False),
        sa.Column("detector_version", sa.String(80), nullable=False),
        sa.Column("policy_version", sa.String(80), nullable=False),
        sa.Column("override_element", sa.String(40), nullable=True),
        sa.Column("override_level", sa.String(20), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("override_by", sa.String(100), nullable=True),
        sa.Column("override_at", TZ, nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["catalog_tables.id"],
            ondelete="CASCADE",
            name="fk_catalog_columns_table_id_catalog_tables",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_columns"),
        sa.UniqueConstraint("table_id", "name", name="uq_catalog_columns_table_id_name"),
    )


def downgrade() -> None:
    op.drop_table("catalog_columns")
    op.drop_table("catalog_tables")
    op.drop_table("catalog_sources")
