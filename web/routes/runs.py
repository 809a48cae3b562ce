"""Run history and per-source health; a run's events; a source's crawl."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlmodel import Session

from storage.errors import NotFoundError
from web.paging import Paging, paging
from web.queries.runs import crawl_events, get_crawl, get_run, list_runs, run_events, source_health
from web.render import respond
from web.routes import get_session, page

router = APIRouter()


@page(router, "/runs")
def runs(request: Request, p: Paging = Depends(paging), session: Session = Depends(get_session)):  # noqa: ANN201
    rows = list_runs(session, p)
    data = {"runs": rows, "health": source_health(session), "paging": p.info(len(rows))}
    return respond(request, "runs.html", data, rows="runs")


@page(router, "/runs/{run_id:int}")
def run(request: Request, run_id: int, p: Paging = Depends(paging), session: Session = Depends(get_session)):  # noqa: ANN201
    try:
        found = get_run(session, run_id)
    except NotFoundError as exc:
        raise HTTPException(404, "未找到该运行记录") from exc
    events = run_events(session, run_id, p)
    data = {"run": found, "sources": found.summary.get("sources", []), "events": events, "paging": p.info(len(events))}
    return respond(request, "run.html", data, rows="events")


@page(router, "/crawls/{crawl_id:int}")
def crawl(request: Request, crawl_id: int, p: Paging = Depends(paging), session: Session = Depends(get_session)):  # noqa: ANN201
    try:
        found = get_crawl(session, crawl_id)
    except NotFoundError as exc:
        raise HTTPException(404, "未找到该抓取记录") from exc
    events = crawl_events(session, crawl_id, p)
    data = {"crawl": found, "events": events, "paging": p.info(len(events))}
    return respond(request, "crawl.html", data, rows="events")
