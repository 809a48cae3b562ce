"""Findings of the checker: one row per fingerprint.

Revision ID: 0003_findings
Revises: 0001_core
Create Date: 2026-11-22

Hand-written; kept equal to ``storage/findings.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.columns import Money, UTCDateTime

revision: str = "0003_findings"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("rule_id", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("severity", sa.String(), nullable=False),
        sa.Column("department", sa.String(), nullable=True),
        sa.Column("document_id", sa.String(), nullable=True),
        sa.Column("version_id", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("table_id", sa.String(), nullable=True),
        sa.Column("row_key", sa.Text(), nullable=True),
        sa.Column("column_key", sa.String(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("expected", Money(), nullable=True),
        sa.Column("actual", Money(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("fingerprint", name="uq_finding_fingerprint"),
    )
    for column in ("rule_id", "category", "severity", "department", "year"):
        op.create_index(f"ix_finding_{column}", "finding", [column])


def downgrade() -> None:
    op.drop_table("finding")
