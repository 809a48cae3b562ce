"""Pipeline run records, per-department check state, and the parser version of each parse.

Revision ID: 0005_pipeline
Revises: 0001_core
Create Date: 2026-12-06

Hand-written; kept equal to ``storage/run_models.py`` and
``storage/check_state.py`` and ``storage/models.py`` (``document_version.parser_version``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.columns import JSONType, UTCDateTime

revision: str = "0005_pipeline"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pipeline_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("flow", sa.String(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("summary", JSONType, nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('running', 'finished', 'failed')", name="ck_pipeline_run_status"),
    )
    op.create_index("ix_pipeline_run_flow", "pipeline_run", ["flow"])
    op.create_index("ix_pipeline_run_started_at", "pipeline_run", ["started_at"])
    op.create_table(
        "pipeline_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("pipeline_run.id", ondelete="CASCADE"), nullable=False),
        sa.Column("step", sa.String(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("source_id", sa.String(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_pipeline_event_run_id", "pipeline_event", ["run_id"])
    op.create_table(
        "check_state",
        sa.Column("department", sa.String(), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("checked_at", UTCDateTime(), nullable=False),
    )
    with op.batch_alter_table("document_version") as batch:
        batch.add_column(sa.Column("parser_version", sa.String(), nullable=True))
    op.create_index("ix_document_version_parser_version", "document_version", ["parser_version"])


def downgrade() -> None:
    op.drop_index("ix_document_version_parser_version", "document_version")
    with op.batch_alter_table("document_version") as batch:
        batch.drop_column("parser_version")
    op.drop_table("check_state")
    op.drop_table("pipeline_event")
    op.drop_table("pipeline_run")
