"""Crawl bookkeeping: crawl_run, crawl_event, url_state.

Revision ID: 0002_crawl
Revises: 0001_core
Create Date: 2026-11-20

Hand-written; kept equal to ``storage/crawl_models.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.columns import JSONType, UTCDateTime

revision: str = "0002_crawl"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crawl_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_id", sa.String(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("stats", JSONType, nullable=False),
        sa.CheckConstraint("status IN ('running', 'finished', 'failed')", name="ck_crawl_run_status"),
    )
    op.create_index("ix_crawl_run_source_id", "crawl_run", ["source_id"])

    op.create_table(
        "crawl_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("crawl_run.id", ondelete="CASCADE"), nullable=False),
        sa.Column("source_id", sa.String(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("level IN ('error', 'warning', 'skipped', 'info')", name="ck_crawl_event_level"),
    )
    op.create_index("ix_crawl_event_run_id", "crawl_event", ["run_id"])
    op.create_index("ix_crawl_event_source_id", "crawl_event", ["source_id"])

    op.create_table(
        "url_state",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("source_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("etag", sa.String(), nullable=True),
        sa.Column("last_modified", sa.String(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("content_type", sa.String(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_seen_run", sa.Integer(), nullable=True),
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("page", JSONType, nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("url"),
    )
    op.create_index("ix_url_state_source_id", "url_state", ["source_id"])
    op.create_index("ix_url_state_last_seen_run", "url_state", ["last_seen_run"])


def downgrade() -> None:
    op.drop_table("url_state")
    op.drop_table("crawl_event")
    op.drop_table("crawl_run")
