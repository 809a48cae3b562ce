"""Home: the last run and its health, newly published documents, open findings, regions."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session

from web.queries.documents import document_dict, recent_documents
from web.queries.findings import severity_counts
from web.queries.runs import last_run, source_health
from web.render import respond
from web.routes import Ctx, get_session, page

router = APIRouter()
RECENT = 20
HEALTH_ROWS = 50


@page(router, "/")
def home(request: Request, session: Session = Depends(get_session)):  # noqa: ANN201
    ctx = Ctx(request)
    index = ctx.index_cache.get(session)
    health = source_health(session, HEALTH_ROWS)
    data = {
        "last_run": last_run(session),
        "health": health,
        "unhealthy": [h for h in health if not h["healthy"]],
        "recent": [document_dict(d) for d in recent_documents(session, RECENT)],
        "severity": severity_counts(session, ctx.counts),
        "regions": [{"region": r, "departments": n} for r, n in index.regions()],
    }
    return respond(request, "home.html", data, rows="recent")
