"""Static masking jobs and the state of each of their tables.

Revision ID: 0006_mask_jobs
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_mask_jobs"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mask_jobs",
        sa.Column("job_id", sa.String(64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("plan_digest", sa.String(80), nullable=False),
        sa.Column("scenario", sa.String(100), nullable=True),
        sa.Column("role", sa.String(100), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("job_id", name="pk_mask_jobs"),
    )
    op.create_table(
        "mask_job_tables",
        sa.Column("job_id", sa.String(64), nullable=False),
        sa.Column("table_name", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("rows_written", sa.BigInteger(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"], ["mask_jobs.job_id"], name="fk_mask_job_tables_job_id_mask_jobs"
        ),
        sa.PrimaryKeyConstraint("job_id", "table_name", name="pk_mask_job_tables"),
    )


def downgrade() -> None:
    op.drop_table("mask_job_tables")
    op.drop_table("mask_jobs")
