"""Run records: a run as a whole (status, summary) and its events.

A run is written when it starts (status ``running``), events as they
happen, and the summary when it ends. A run killed before its end stays
``running``; the next run marks such leftovers ``failed`` (``close_stale``)
so the history never shows two nights running at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from storage.columns import utcnow
from storage.db import session_scope
from storage.run_models import PipelineEvent, PipelineRun

__all__ = [
    "SourceFigures",
    "RunSummary",
    "start_run",
    "record_event",
    "finish_run",
    "close_stale",
    "list_runs",
    "run_events",
]


@dataclass
class SourceFigures:
    """One source's crawl in a run (figures from its crawl_run row)."""

    source_id: str
    status: str = "finished"  # finished, failed
    crawl_run_id: int | None = None
    pages: int = 0
    new_documents: int = 0
    new_versions: int = 0
    withdrawn: int = 0
    errors: int = 0
    error: str | None = None
    health: str = "ok"  # ok, failing, layout_changed (crawler.health)
    health_message: str | None = None


@dataclass
class RunSummary:
    """What a run did; stored as ``pipeline_run.summary``."""

    sources: list[SourceFigures] = field(default_factory=list)
    parsed: int = 0
    parse_failed: int = 0
    parse_reused: int = 0
    departments_checked: int = 0
    findings_new: int = 0
    findings_resolved: int = 0
    alerts: dict[str, Any] = field(default_factory=dict)
    step_seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunSummary:
        data = dict(data)
        data["sources"] = [SourceFigures(**s) for s in data.get("sources", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def quiet(self) -> bool:
        """Nothing new: no new document or version, nothing parsed, no finding new or resolved."""
        return not (
            self.parsed or self.parse_failed or self.findings_new or self.findings_resolved
            or any(s.new_documents or s.new_versions or s.withdrawn for s in self.sources)
        )


def start_run(engine: Engine, flow: str, *, now: datetime | None = None) -> int:
    """Insert a ``running`` run and return its id."""
    with session_scope(engine) as session:
        run = PipelineRun(flow=flow, started_at=now or utcnow(), status="running", summary={})
        session.add(run)
        session.flush()
        assert run.id is not None
        return run.id


def record_event(
    engine: Engine, run_id: int, step: str, level: str, code: str, message: str, *,
    source_id: str | None = None, url: str | None = None, version_id: int | None = None,
) -> None:
    """Record one thing that went wrong (or is worth knowing) during a run."""
    with session_scope(engine) as session:
        session.add(PipelineEvent(run_id=run_id, step=step, level=level, code=code, message=message,
                                  source_id=source_id, url=url, version_id=version_id, created_at=utcnow()))


def finish_run(engine: Engine, run_id: int, summary: RunSummary, *, error: str | None = None) -> None:
    """Store the summary and mark the run finished (or failed, with ``error``)."""
    with session_scope(engine) as session:
        run = session.get(PipelineRun, run_id)
        assert run is not None
        run.summary = summary.to_json()
        run.status = "failed" if error else "finished"
        run.error = error
        run.finished_at = utcnow()


def close_stale(engine: Engine, flow: str) -> int:
    """Mark runs of ``flow`` left ``running`` by a killed process as failed; returns how many."""
    with session_scope(engine) as session:
        stale = session.exec(select(PipelineRun).where(PipelineRun.flow == flow, PipelineRun.status == "running")).all()
        for run in stale:
            run.status = "failed"
            run.error = "运行被中断（进程被终止），下次运行已接续完成"
            run.finished_at = utcnow()
        return len(stale)


def list_runs(session: Session, *, last: int = 10) -> list[PipelineRun]:
    """The latest runs, newest first."""
    query = select(PipelineRun).order_by(col(PipelineRun.id).desc()).limit(last)
    return list(session.exec(query).all())


def run_events(session: Session, run_id: int) -> list[PipelineEvent]:
    query = select(PipelineEvent).where(PipelineEvent.run_id == run_id).order_by(col(PipelineEvent.id))
    return list(session.exec(query).all())
