"""Regions, departments and the search of both."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from sqlmodel import Session

from analysis.three_public import COMPONENT_NAMES
from web.paging import Paging, paging
from web.queries.documents import document_dict, documents_of, version_dict
from web.queries.figures import figure_items, three_public_by_year, totals_by_year
from web.queries.findings import FindingFilter, list_findings
from web.queries.publication import KINDS, SCOPES, publication_grid
from web.queries.search import search_documents
from web.render import respond
from web.routes import Ctx, get_session, page

router = APIRouter()
DEPARTMENT_DOCUMENTS = 500  # a department publishes a few documents a year
DEPARTMENT_FINDINGS = 50
MAX_QUERY = 100
MAX_DEPARTMENTS = 500  # a search matching more departments lists their documents through the first 500


@page(router, "/regions/{region}")
def region(request: Request, region: str, p: Paging = Depends(paging), session: Session = Depends(get_session)):  # noqa: ANN201
    index = Ctx(request).index_cache.get(session)
    entries = index.by_region.get(region)
    if entries is None:
        raise HTTPException(404, "未找到该地区")
    shown = entries[p.offset: p.offset + p.size]
    years, grid = publication_grid(session, shown)
    rows = [{"department": e.key, "names": e.names, "documents": e.documents, "years": grid[e.key]} for e in shown]
    data = {"region": region, "years": years, "kinds": KINDS, "scopes": SCOPES, "departments": rows,
            "paging": p.info(len(shown), len(entries))}
    return respond(request, "region.html", data, rows="departments")


@page(router, "/departments/{department}")
def department(request: Request, department: str, session: Session = Depends(get_session)):  # noqa: ANN201
    ctx = Ctx(request)
    entry = ctx.index_cache.get(session).get(department)
    if entry is None:
        raise HTTPException(404, "未找到该部门")
    published = documents_of(session, entry.names, limit=DEPARTMENT_DOCUMENTS)
    items = figure_items(session, published)
    three, totals = three_public_by_year(published, items), totals_by_year(published, items)
    findings, total = list_findings(session, FindingFilter(department=entry.key), Paging(1, DEPARTMENT_FINDINGS))
    timeline: dict[int | None, list] = {}
    for p in published:
        timeline.setdefault(p.document.year, []).append(
            {"document": document_dict(p.document), "version": version_dict(p.version) if p.version else None})
    data = {
        "department": entry.key,
        "names": entry.names,
        "region": entry.region,
        "history": [{"name": h.name, "year": h.year, "how": h.how} for h in ctx.identity.history_of(entry.key)],
        "timeline": [{"year": y, "documents": docs} for y, docs in timeline.items()],
        "three_public": {
            str(year): {c: {side: {"amount": f.amount, "item_id": f.item_id, "page": f.page} for side, f in sides.items()}
                        for c, sides in comps.items()}
            for year, comps in three.items()
        },
        # Components the department printed in some year (an all-empty chart says nothing).
        "component_names": {c: name for c, name in COMPONENT_NAMES.items() if any(c in comps for comps in three.values())},
        "totals": {str(y): {k: {"amount": f.amount, "item_id": f.item_id} for k, f in t.items()} for y, t in totals.items()},
        "findings": findings,
        "findings_total": total,
    }
    return respond(request, "department.html", data, rows="findings")


@page(router, "/search")
def search(request: Request, q: str = Query("", max_length=MAX_QUERY), p: Paging = Depends(paging),
           session: Session = Depends(get_session)):  # noqa: ANN201
    text = q.strip()
    index = Ctx(request).index_cache.get(session)
    matched = index.search(text, MAX_DEPARTMENTS) if text else []
    departments = [{"department": e.key, "region": e.region, "documents": e.documents}
                   for e in matched[:p.size]] if p.page == 1 else []
    names = [name for e in matched for name in e.names]
    documents = [document_dict(d) for d in search_documents(session, text, p, departments=names)] if text else []
    data = {"q": text, "departments": departments, "documents": documents, "paging": p.info(len(documents))}
    return respond(request, "search.html", data, rows="documents")
