"""Records of pipeline runs (revision ``0005_pipeline``).

``pipeline_run`` is one night (or one ``ingest``/``reparse`` run) as a
whole: its status and a JSON summary (per-source crawl figures, parse and
check counts, wall time per step; see ``pipeline.runs.RunSummary``).
``pipeline_event`` is what went wrong or worth knowing during it (which
source or file, which step, why), so ``budgetwatch runs show`` answers
without SQL. ``document_version.parser_version`` records which parser read
a version, so the same bytes are never parsed twice by the same parser.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from storage.columns import JSONType, UTCDateTime

__all__ = ["PipelineRun", "PipelineEvent", "PIPELINE_RUN_STATUSES"]

PIPELINE_RUN_STATUSES = ("running", "finished", "failed")


class PipelineRun(SQLModel, table=True):
    __tablename__ = "pipeline_run"
    __table_args__ = (
        CheckConstraint("status IN ('running', 'finished', 'failed')", name="ck_pipeline_run_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    flow: str = Field(index=True)  # nightly, ingest, reparse
    started_at: datetime = Field(sa_type=UTCDateTime, index=True)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: str = Field(default="running")
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    error: str | None = Field(default=None, sa_type=Text)


class PipelineEvent(SQLModel, table=True):
    __tablename__ = "pipeline_event"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="pipeline_run.id", ondelete="CASCADE", index=True)
    step: str
    level: str  # error, warning, info
    code: str
    message: str = Field(default="", sa_type=Text)
    source_id: str | None = None
    url: str | None = Field(default=None, sa_type=Text)
    version_id: int | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
