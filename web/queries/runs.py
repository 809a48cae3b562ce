"""Run history and per-source health.

A pipeline run (``pipeline_run``, one night or one ingest/reparse) is what
alerts link to (``/runs/{id}``); each source's crawls are ``crawl_run`` rows
(``/crawls/{id}``). A source is healthy when its latest crawl finished
without errors.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.crawl_models import CrawlEvent, CrawlRun
from storage.errors import NotFoundError
from storage.run_models import PipelineEvent, PipelineRun
from web.paging import Paging

__all__ = ["list_runs", "last_run", "get_run", "run_events", "get_crawl", "crawl_events", "source_health"]


def list_runs(session: Session, paging: Paging) -> list[PipelineRun]:
    query = select(PipelineRun).order_by(col(PipelineRun.started_at).desc(), col(PipelineRun.id).desc())
    return list(session.exec(query.offset(paging.offset).limit(paging.size)).all())


def last_run(session: Session) -> PipelineRun | None:
    return session.exec(
        select(PipelineRun).order_by(col(PipelineRun.started_at).desc(), col(PipelineRun.id).desc()).limit(1)
    ).first()


def get_run(session: Session, run_id: int) -> PipelineRun:
    run = session.get(PipelineRun, run_id)
    if run is None:
        raise NotFoundError(f"run {run_id}")
    return run


def run_events(session: Session, run_id: int, paging: Paging) -> list[PipelineEvent]:
    query = (select(PipelineEvent).where(PipelineEvent.run_id == run_id)
             .order_by(PipelineEvent.id).offset(paging.offset).limit(paging.size))
    return list(session.exec(query).all())


def get_crawl(session: Session, crawl_id: int) -> CrawlRun:
    crawl = session.get(CrawlRun, crawl_id)
    if crawl is None:
        raise NotFoundError(f"crawl {crawl_id}")
    return crawl


def crawl_events(session: Session, crawl_id: int, paging: Paging) -> list[CrawlEvent]:
    query = (select(CrawlEvent).where(CrawlEvent.run_id == crawl_id)
             .order_by(CrawlEvent.id).offset(paging.offset).limit(paging.size))
    return list(session.exec(query).all())


def source_health(session: Session, limit: int = 500) -> list[dict[str, Any]]:
    """Each source's latest crawl: status, errors, new documents, and whether it is healthy."""
    latest = (select(CrawlRun.source_id, func.max(CrawlRun.id).label("crawl_id"))
              .group_by(CrawlRun.source_id).subquery())
    crawls = session.exec(
        select(CrawlRun).join(latest, col(CrawlRun.id) == latest.c.crawl_id).order_by(CrawlRun.source_id).limit(limit)
    ).all()
    return [
        {
            "source_id": crawl.source_id,
            "crawl_id": crawl.id,
            "started_at": crawl.started_at,
            "finished_at": crawl.finished_at,
            "status": crawl.status,
            "errors": int(crawl.stats.get("errors", 0) or 0),
            "new_documents": int(crawl.stats.get("new_documents", 0) or 0),
            "new_versions": int(crawl.stats.get("new_versions", 0) or 0),
            "healthy": crawl.status == "finished" and not crawl.stats.get("errors"),
        }
        for crawl in crawls
    ]
