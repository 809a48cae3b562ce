"""Alert bookkeeping tables (revision ``0006_alerts``).

``alert_outbox`` holds every rendered message before it is sent; a row
becomes ``sent`` only after its channel accepted it, so a failed or
interrupted delivery is retried from here. ``alert_ledger`` remembers, per
channel, what was alerted (a finding's fingerprint, a health condition, a
day's heartbeat) and with which values: it is what makes each finding
arrive once per channel, and again only when its values move.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import JSONType, UTCDateTime

__all__ = ["AlertMessage", "AlertLedgerEntry", "OUTBOX_STATUSES", "LEDGER_KINDS", "LEDGER_STATES"]

OUTBOX_STATUSES = ("pending", "sent")
LEDGER_KINDS = ("finding", "health", "heartbeat")
LEDGER_STATES = ("open", "resolved")


class AlertMessage(SQLModel, table=True):
    """One rendered message for one channel; ``payload`` keeps everything
    needed to send it again unchanged (body, text alternative, CSV)."""

    __tablename__ = "alert_outbox"
    __table_args__ = (CheckConstraint("status IN ('pending', 'sent')", name="ck_alert_outbox_status"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(index=True)
    run_id: int | None = Field(default=None, index=True)
    kind: str
    subject: str = Field(sa_type=Text)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    status: str = Field(default="pending", index=True)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AlertLedgerEntry(SQLModel, table=True):
    """What one channel was told about one subject (``key``) and when."""

    __tablename__ = "alert_ledger"
    __table_args__ = (
        UniqueConstraint("channel", "key", name="uq_alert_ledger_channel_key"),
        CheckConstraint("kind IN ('finding', 'health', 'heartbeat')", name="ck_alert_ledger_kind"),
        CheckConstraint("state IN ('open', 'resolved')", name="ck_alert_ledger_state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(index=True)
    key: str
    kind: str
    state: str = Field(default="open")
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    message_id: int | None = Field(default=None, foreign_key="alert_outbox.id", ondelete="SET NULL")
    first_alerted_at: datetime = Field(sa_type=UTCDateTime)
    last_alerted_at: datetime = Field(sa_type=UTCDateTime)
