"""Alert outbox and per-channel alert ledger.

Revision ID: 0006_alerts
Revises: 0001_core
Create Date: 2026-12-06

Hand-written; kept equal to ``storage/alert_models.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.columns import JSONType, UTCDateTime

revision: str = "0006_alerts"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("payload", JSONType, nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sent')", name="ck_alert_outbox_status"),
    )
    op.create_index("ix_alert_outbox_channel", "alert_outbox", ["channel"])
    op.create_index("ix_alert_outbox_run_id", "alert_outbox", ["run_id"])
    op.create_index("ix_alert_outbox_status", "alert_outbox", ["status"])

    op.create_table(
        "alert_ledger",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("snapshot", JSONType, nullable=False),
        sa.Column(
            "message_id", sa.Integer(), sa.ForeignKey("alert_outbox.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("first_alerted_at", UTCDateTime(), nullable=False),
        sa.Column("last_alerted_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("channel", "key", name="uq_alert_ledger_channel_key"),
        sa.CheckConstraint("kind IN ('finding', 'health', 'heartbeat')", name="ck_alert_ledger_kind"),
        sa.CheckConstraint("state IN ('open', 'resolved')", name="ck_alert_ledger_state"),
    )
    op.create_index("ix_alert_ledger_channel", "alert_ledger", ["channel"])


def downgrade() -> None:
    op.drop_table("alert_ledger")
    op.drop_table("alert_outbox")
