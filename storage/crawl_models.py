"""Crawl bookkeeping tables (revisions ``0002_crawl``, ``0007_crawl_health``).

``crawl_run`` holds one row per source per crawl with its statistics,
``crawl_event`` what went wrong or was skipped, and ``url_state`` the last
HTTP validators and content of every URL the crawler fetched: the single
source of truth for conditional requests and for noticing withdrawals.
A run's ``health`` says whether its source's list pages looked healthy
(``crawler.health`` reads it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Text
from sqlmodel import Field, SQLModel

from storage.columns import JSONType, UTCDateTime

__all__ = ["CrawlRun", "CrawlEvent", "UrlState", "EVENT_LEVELS", "RUN_STATUSES", "RUN_HEALTH", "STAT_KEYS"]

EVENT_LEVELS = ("error", "warning", "skipped", "info")
RUN_STATUSES = ("running", "finished", "failed")
# ok: every list page read and healthy; failing: a list page failed, was
# empty, a challenge page or shrank sharply; layout_changed: lists read but
# printed differently than last time.
RUN_HEALTH = ("ok", "failing", "layout_changed")
STAT_KEYS = (
    "pages",
    "requests",
    "new_documents",
    "new_versions",
    "unchanged",
    "skipped",
    "errors",
    "warnings",
    "withdrawn",
    "restored",
    "deferred",
    "lists_deferred",
    "lists_swept",
    "entries",
    "bytes",
)


class CrawlRun(SQLModel, table=True):
    __tablename__ = "crawl_run"
    __table_args__ = (CheckConstraint("status IN ('running', 'finished', 'failed')", name="ck_crawl_run_status"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(index=True)
    started_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: str = Field(default="running")
    stats: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    health: str | None = None
    health_message: str | None = Field(default=None, sa_type=Text)


class CrawlEvent(SQLModel, table=True):
    __tablename__ = "crawl_event"
    __table_args__ = (
        CheckConstraint("level IN ('error', 'warning', 'skipped', 'info')", name="ck_crawl_event_level"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="crawl_run.id", ondelete="CASCADE", index=True)
    source_id: str = Field(index=True)
    url: str | None = Field(default=None, sa_type=Text)
    level: str
    code: str
    message: str = Field(default="", sa_type=Text)
    title: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


class UrlState(SQLModel, table=True):
    """What the crawler last knew of one URL.

    ``role`` is ``list``, ``detail`` or ``file``. ``page`` keeps what a list
    or detail page linked to (title, date, links), so a 304 can be followed
    without the body. ``document_id`` is set for URLs that are documents.
    """

    __tablename__ = "url_state"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_type=Text, unique=True)
    source_id: str = Field(index=True)
    role: str
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = Field(default=None, max_length=64)
    size: int | None = Field(default=None, sa_type=BigInteger)
    content_type: str | None = None
    last_status: int | None = None
    last_seen_run: int | None = Field(default=None, index=True)
    document_id: int | None = Field(default=None, foreign_key="document.id", ondelete="SET NULL")
    page: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # last asked over the network
    changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # content last changed (publish date first)
    list_entry: str | None = Field(default=None, sa_type=Text)  # "text|date" of the link that led here
