"""Run history and per-source health, from the crawler's run records.

``crawl_run`` has one row per source per crawl; a source is healthy when its
latest run finished without errors.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.crawl_models import CrawlEvent, CrawlRun
from storage.errors import NotFoundError
from web.paging import Paging

__all__ = ["list_runs", "get_run", "run_events", "source_health", "last_run"]


def list_runs(session: Session, paging: Paging, *, source: str | None = None) -> list[CrawlRun]:
    query = select(CrawlRun)
    if source:
        query = query.where(CrawlRun.source_id == source)
    query = query.order_by(col(CrawlRun.started_at).desc(), col(CrawlRun.id).desc())
    return list(session.exec(query.offset(paging.offset).limit(paging.size)).all())


def last_run(session: Session) -> CrawlRun | None:
    return session.exec(select(CrawlRun).order_by(col(CrawlRun.started_at).desc(), col(CrawlRun.id).desc()).limit(1)).first()


def get_run(session: Session, run_id: int) -> CrawlRun:
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise NotFoundError(f"run {run_id}")
    return run


def run_events(session: Session, run_id: int, paging: Paging) -> list[CrawlEvent]:
    query = (select(CrawlEvent).where(CrawlEvent.run_id == run_id)
             .order_by(CrawlEvent.id).offset(paging.offset).limit(paging.size))
    return list(session.exec(query).all())


def source_health(session: Session, limit: int = 500) -> list[dict[str, Any]]:
    """Each source's latest run: status, errors, new documents, and whether it is healthy."""
    latest = (select(CrawlRun.source_id, func.max(CrawlRun.id).label("run_id"))
              .group_by(CrawlRun.source_id).subquery())
    runs = session.exec(
        select(CrawlRun).join(latest, col(CrawlRun.id) == latest.c.run_id).order_by(CrawlRun.source_id).limit(limit)
    ).all()
    return [
        {
            "source_id": run.source_id,
            "run_id": run.id,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "status": run.status,
            "errors": int(run.stats.get("errors", 0) or 0),
            "new_documents": int(run.stats.get("new_documents", 0) or 0),
            "new_versions": int(run.stats.get("new_versions", 0) or 0),
            "healthy": run.status == "finished" and not run.stats.get("errors"),
        }
        for run in runs
    ]
