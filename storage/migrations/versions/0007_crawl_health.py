"""Crawl health and revalidation: crawl_run.health/health_message,
url_state.checked_at/changed_at/list_entry.

Revision ID: 0007_crawl_health
Revises: 0002_crawl
Create Date: 2026-12-06

Hand-written; kept equal to ``storage/crawl_models.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.columns import UTCDateTime

revision: str = "0007_crawl_health"
down_revision: str | Sequence[str] | None = "0002_crawl"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_run") as batch:
        batch.add_column(sa.Column("health", sa.String(), nullable=True))
        batch.add_column(sa.Column("health_message", sa.Text(), nullable=True))
    with op.batch_alter_table("url_state") as batch:
        batch.add_column(sa.Column("checked_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("changed_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("list_entry", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("url_state") as batch:
        batch.drop_column("list_entry")
        batch.drop_column("changed_at")
        batch.drop_column("checked_at")
    with op.batch_alter_table("crawl_run") as batch:
        batch.drop_column("health_message")
        batch.drop_column("health")
